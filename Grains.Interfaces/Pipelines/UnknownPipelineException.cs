namespace Herald.Grains.Pipelines;

/// <summary>No pipeline with that tag is deployed on this silo (never deployed, or retired).</summary>
[GenerateSerializer, Alias("herald.unknown-pipeline")]
public sealed class UnknownPipelineException : Exception
{
    public UnknownPipelineException(string tag, IEnumerable<string> deployed)
        : base($"no pipeline '{tag}' is deployed (deployed: {string.Join(", ", deployed.Order(StringComparer.Ordinal))})")
    {
    }
}
