namespace Herald.Kafka.Tests;

/// <summary>
/// Kafka tests prove delivery, not models: they run the rules-only news pipeline (samples/pipelines/news-rules.yaml),
/// which keeps up with the input rates they need on two cores, under the tags they read.
/// </summary>
public static class RulesPipeline
{
    /// <summary>A new folder holding the rules pipeline once per tag.</summary>
    public static string Folder(params string[] tags)
    {
        var folder = Directory.CreateTempSubdirectory("herald-kafka-pipelines-").FullName;
        var rules = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pipelines", "news-rules.yaml"));
        foreach (var tag in tags)
            File.WriteAllText(Path.Combine(folder, $"{tag}.yaml"), rules.Replace("pipeline: news-rules", $"pipeline: {tag}"));
        return folder;
    }
}
