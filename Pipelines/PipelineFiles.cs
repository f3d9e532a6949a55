namespace Herald.Pipelines;

/// <summary>Finds pipeline definitions on disk: a file, or every *.yaml / *.yml in a folder (sorted, so loading is deterministic).</summary>
public static class PipelineFiles
{
    public static IEnumerable<(string Yaml, string Source, string BaseDirectory)> Read(params IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*.yaml").Concat(Directory.EnumerateFiles(path, "*.yml")).Order(StringComparer.Ordinal);
                foreach (var file in files) yield return Load(file);
            }
            else if (File.Exists(path))
            {
                yield return Load(path);
            }
            else
            {
                throw new PipelineValidationException([new(path, 0, 0, "no such file or folder")]);
            }
        }
    }

    /// <summary>The tags the definitions under <paramref name="path"/> declare, read without validating or building anything.</summary>
    public static IReadOnlyList<string> Tags(string path) =>
        Read(path).Select(f => Yaml.PipelineYamlReader.Read(f.Yaml, f.Source, f.BaseDirectory, [])?.Tag).OfType<string>().Distinct().ToList();

    /// <summary>The tag one definition declares (its <c>pipeline:</c>), or null when it has none or does not parse.</summary>
    public static string? TagOf(string yaml) => Yaml.PipelineYamlReader.Read(yaml, "definition", ".", [])?.Tag;

    private static (string, string, string) Load(string file) =>
        (File.ReadAllText(file), file, Path.GetDirectoryName(Path.GetFullPath(file))!);
}
