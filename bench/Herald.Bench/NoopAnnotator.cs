using System.Text.Json.Nodes;
using Herald.Annotators;

namespace Herald.Bench;

/// <summary>An annotator that does no work, so the benchmark measures the engine alone.</summary>
public sealed class NoopAnnotator : IAnnotator
{
    public sealed class Options;

    public static AnnotatorKind Kind { get; } = new AnnotatorKind<Options>("noop", "does nothing", (_, _) => new NoopAnnotator());

    private static readonly JsonObject Value = new() { ["ok"] = true };

    public ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Annotation.Of(Value));
}
