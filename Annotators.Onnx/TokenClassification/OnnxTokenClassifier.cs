using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Herald.Annotators.Onnx.Serving;

namespace Herald.Annotators.Onnx.TokenClassification;

/// <summary>
/// Named entities from a token-classification model. Output has the same shape as the <c>entities</c> kind's, so the
/// two are interchangeable: <c>{"entities": [{"text", "label", "start", "end", "score"}]}</c> plus one span per entity.
/// </summary>
internal sealed class OnnxTokenClassifier(TokenClassificationModel model) : IAnnotator, IMeasuredAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<OnnxTokenClassifierOptions>(
        "onnx-token-classifier", "ONNX token classification (NER): BIO-decoded entity spans with character offsets and scores", Create, Check);

    /// <summary>The options, and that the files they name are there: no model is loaded.</summary>
    private static void Check(OnnxTokenClassifierOptions options, AnnotatorSpec spec)
    {
        if (options.MaxTokens is < 8 or > 4096) throw new AnnotatorConfigurationException("option 'maxTokens' must be between 8 and 4096");
        if (options.MinScore is < 0 or > 1) throw new AnnotatorConfigurationException("option 'minScore' must be between 0 and 1");
        if (options.BatchSize is < 1 or > 256) throw new AnnotatorConfigurationException("option 'batchSize' must be between 1 and 256");
        if (options.BatchWaitMs is < 0 or > 1000) throw new AnnotatorConfigurationException("option 'batchWaitMs' must be between 0 and 1000");
        ModelFiles.Resolve("model", options.Model, spec);
        ModelFiles.Resolve("vocabulary", options.Vocabulary, spec);
        if (options.Labels is not null) ModelFiles.Resolve("labels", options.Labels, spec);
    }

    private static OnnxTokenClassifier Create(OnnxTokenClassifierOptions options, AnnotatorSpec spec)
    {
        var path = ModelFiles.Resolve("model", options.Model, spec);
        var vocabulary = ModelFiles.Resolve("vocabulary", options.Vocabulary, spec);
        var labels = options.Labels is null ? null : ModelFiles.Resolve("labels", options.Labels, spec);
        var key = (path, vocabulary, labels, options.Lowercase, options.MaxTokens, options.MinScore, options.Threads, options.BatchSize, options.BatchWaitMs);
        return new OnnxTokenClassifier(ModelCache.GetOrLoad(key, () => new TokenClassificationModel(
            path, File.ReadAllText(vocabulary).ReplaceLineEndings("\n"), labels, options.Lowercase, options.MaxTokens, options.MinScore,
            options.Threads, options.BatchSize, TimeSpan.FromMilliseconds(options.BatchWaitMs)), path, vocabulary, labels));
    }

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var entities = await model.Batcher.SubmitAsync(input.Document.Text, cancellationToken);
        var spans = entities.Select(e => new AnnotationSpan(e.Start, e.End, e.Label, e.Score, e.Text)).ToList();
        var list = new JsonArray([.. entities.Select(e => (JsonNode)new JsonObject
        {
            ["text"] = e.Text, ["label"] = e.Label, ["start"] = e.Start, ["end"] = e.End, ["score"] = e.Score,
        })]);
        return new Annotation(new JsonObject { ["entities"] = list }, spans);
    }

    public void MeasureWith(Meter meter) => model.Batcher.MeasureWith(meter);
}
