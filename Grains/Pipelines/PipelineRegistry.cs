using System.Collections.Concurrent;
using Herald.Pipelines;

namespace Herald.Grains.Pipelines;

/// <summary>
/// The pipelines deployed on this silo: the current version of each tag. (A document that started before a redeploy
/// finishes on its own version: its run holds that version, so nothing here needs to keep old ones.)
/// </summary>
public sealed class PipelineRegistry : IDeployedPipelines
{
    private readonly ConcurrentDictionary<string, CompiledPipeline> _current = new(StringComparer.Ordinal);

    public IReadOnlyCollection<CompiledPipeline> Current => _current.Values.OrderBy(p => p.Tag, StringComparer.Ordinal).ToArray();

    public CompiledPipeline? Find(string tag) => _current.GetValueOrDefault(tag);

    public CompiledPipeline Get(string tag) => Find(tag) ?? throw new UnknownPipelineException(tag, _current.Keys);

    public void Deploy(CompiledPipeline pipeline) => _current[pipeline.Tag] = pipeline;

    /// <summary>New documents for the tag are refused; documents already running finish on their version.</summary>
    public bool Retire(string tag) => _current.TryRemove(tag, out _);
}
