using Herald.Pipelines;

namespace Herald.Grains.Pipelines;

/// <summary>
/// The pipelines deployed on this silo, current version of each tag: what an input layer reads for (tags, where each
/// starts, which share it takes). The engine's registry provides it; the Kafka layer depends on this port only.
/// </summary>
public interface IDeployedPipelines
{
    IReadOnlyCollection<CompiledPipeline> Current { get; }

    /// <summary>The tag's current version, or null when it is not deployed (or retired) here.</summary>
    CompiledPipeline? Find(string tag);
}
