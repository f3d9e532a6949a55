using Herald.Pipelines;

namespace Herald.Silo.Api;

/// <summary>A pipeline as the API shows it: its annotators in order, with what each requires and when it runs.</summary>
public sealed record PipelineView(string Tag, string Version, string? Description, string Source, IReadOnlyList<AnnotatorView> Annotators, string Yaml)
{
    public static PipelineView Of(CompiledPipeline pipeline) => new(
        pipeline.Tag, pipeline.VersionId, pipeline.Description, pipeline.Source,
        [.. pipeline.Nodes.Select(n => new AnnotatorView(n.Name, n.Version, n.Spec.Kind, [.. n.Dependencies.Select((d, i) => pipeline.Nodes[d].Name + (n.Optional[i] ? "?" : ""))], n.When?.Text,
            n.Timeout.TotalSeconds, n.Retries))],
        pipeline.Text);
}

public sealed record AnnotatorView(string Name, string Version, string Kind, IReadOnlyList<string> Requires, string? When, double TimeoutSeconds, int Retries);
