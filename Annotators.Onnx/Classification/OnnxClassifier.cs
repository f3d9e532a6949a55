using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Annotators.Onnx.Serving;
using Herald.Annotators.Serving;

namespace Herald.Annotators.Onnx.Classification;

/// <summary>
/// A classification head over an embedding: value <c>{"label", "score", "distribution": {"label": p, ...}}</c>.
/// Concurrent documents are scored in shared batches.
/// </summary>
internal sealed class OnnxClassifier(ClassificationHead head, OnnxClassifierOptions options) : IAnnotator, IMeasuredAnnotator
{
    public const string TextInput = "text";

    public static AnnotatorKind Kind { get; } = new AnnotatorKind<OnnxClassifierOptions>(
        "onnx-classifier", "ONNX classification head over an embedding annotation: label, score and distribution", Create, Check);

    /// <summary>The options, and that the files they name are there: no model is loaded.</summary>
    private static void Check(OnnxClassifierOptions options, AnnotatorSpec spec)
    {
        if (options.BatchSize is < 1 or > 1024) throw new AnnotatorConfigurationException("option 'batchSize' must be between 1 and 1024");
        if (options.BatchWaitMs is < 0 or > 1000) throw new AnnotatorConfigurationException("option 'batchWaitMs' must be between 0 and 1000");
        if (string.IsNullOrWhiteSpace(options.Input)) throw new AnnotatorConfigurationException("option 'input' must name a dependency or be 'text'");
        if (options.Field is not ("title+text" or "text")) throw new AnnotatorConfigurationException($"option 'field' must be 'title+text' or 'text', not '{options.Field}'");
        ModelFiles.Resolve("model", options.Model, spec);
        if (options.Labels is not null) ModelFiles.Resolve("labels", options.Labels, spec);
    }

    private static OnnxClassifier Create(OnnxClassifierOptions options, AnnotatorSpec spec)
    {
        var model = ModelFiles.Resolve("model", options.Model, spec);
        var labels = options.Labels is null ? null : ModelFiles.Resolve("labels", options.Labels, spec);
        var key = (model, labels, options.Output, options.Threads, options.BatchSize, options.BatchWaitMs);
        var head = ModelCache.GetOrLoad(key, () =>
            new ClassificationHead(model, labels, options.Output, options.Threads, options.BatchSize, TimeSpan.FromMilliseconds(options.BatchWaitMs)), model, labels);
        if (head.TakesText != (options.Input == TextInput))
            throw new AnnotatorConfigurationException(head.TakesText
                ? $"model file {model} takes text: set option 'input' to '{TextInput}'"
                : $"model file {model} takes a feature vector: option 'input' must name the embedding dependency, not '{TextInput}'");
        return new OnnxClassifier(head, options);
    }

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput document, CancellationToken cancellationToken)
    {
        var distribution = await head.Batcher.SubmitAsync(Input(document), cancellationToken);
        return Annotation.Of(LabelDistribution.ToValue(head.Labels, distribution));
    }

    private HeadInput Input(AnnotatorInput document)
    {
        if (head.TakesText)
        {
            var text = options.Field == "text" ? document.Document.Text : document.Document.TitleAndText;
            return new HeadInput(null, options.Lowercase ? text.ToLowerInvariant() : text);
        }
        var dependency = document.Dependency(options.Input) ?? throw new InvalidOperationException($"the input dependency '{options.Input}' is not among this annotator's requires");
        if (!dependency.Value.TryGetProperty("vector", out var vector) || vector.ValueKind != JsonValueKind.Array)
            throw new InvalidOperationException($"the input dependency '{options.Input}' has no 'vector' (is it an onnx-embedding annotator?)");
        return new HeadInput([.. vector.EnumerateArray().Select(v => v.GetSingle())], null);
    }

    public void MeasureWith(Meter meter) => head.Batcher.MeasureWith(meter);
}
