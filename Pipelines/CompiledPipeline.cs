using Herald.Annotators;
using Herald.Pipelines.Conditions;

namespace Herald.Pipelines;

/// <summary>
/// A validated pipeline, ready to run: annotators in topological order with their dependencies resolved
/// to node indexes. Immutable; a redeployed definition becomes a new <see cref="CompiledPipeline"/> with
/// a new <see cref="VersionId"/>, and documents remember the version they started on.
/// </summary>
public sealed class CompiledPipeline(string tag, string versionId, string? description, PipelineInput input, string source, string text, IReadOnlyList<PipelineNode> nodes)
{
    public string Tag { get; } = tag;

    /// <summary>Content hash of the definition: the same YAML gives the same id on every silo.</summary>
    public string VersionId { get; } = versionId;

    public string? Description { get; } = description;

    /// <summary>Where its input starts and which share of documents it takes.</summary>
    public PipelineInput Input { get; } = input;
    public string Source { get; } = source;
    public string Text { get; } = text;

    /// <summary>In topological order: every node comes after all of its dependencies.</summary>
    public IReadOnlyList<PipelineNode> Nodes { get; } = nodes;

    public PipelineNode? Find(string name) => Nodes.FirstOrDefault(n => n.Name == name);
}

/// <summary>One annotator of a compiled pipeline.</summary>
public sealed class PipelineNode(
    int index, AnnotatorSpec spec, int[] dependencies, Condition? when, TimeSpan timeout, int retries, bool[]? optional = null, SourceLocation? optionsAt = null)
{
    public int Index { get; } = index;
    public AnnotatorSpec Spec { get; } = spec;
    public string Name => Spec.Name;
    public string Version => Spec.Version;

    /// <summary>name@version: the key of the annotator grain and of the shared implementation instance.</summary>
    public string AnnotatorId => $"{Spec.Name}@{Spec.Version}";

    public int[] Dependencies { get; } = dependencies;

    /// <summary>Parallel to <see cref="Dependencies"/>: written <c>name@range?</c>, so its failure or skip does not skip this node.</summary>
    public bool[] Optional { get; } = optional ?? new bool[dependencies.Length];
    public Condition? When { get; } = when;
    public TimeSpan Timeout { get; } = timeout;
    public int Retries { get; } = retries;

    /// <summary>Where its options were written, for problems found when it is activated (a model that does not load, a changed version).</summary>
    public SourceLocation? OptionsAt { get; } = optionsAt;
}
