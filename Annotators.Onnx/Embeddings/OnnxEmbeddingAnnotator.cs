using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Herald.Annotators.Onnx.Models;
using Herald.Annotators.Onnx.Serving;
using Microsoft.ML.OnnxRuntime;

namespace Herald.Annotators.Onnx.Embeddings;

/// <summary>Options of the <c>onnx-embedding</c> kind.</summary>
internal sealed class OnnxEmbeddingOptions
{
    /// <summary><c>all-MiniLM-L6-v2</c> (shipped), its int8 quantization <c>all-MiniLM-L6-v2-int8</c>, or a path to an .onnx sentence encoder (relative to the pipeline file).</summary>
    public string Model { get; set; } = BuiltInModels.MiniLm;

    /// <summary>The WordPiece vocab.txt of a model given by path.</summary>
    public string? Vocabulary { get; set; }

    /// <summary>The most tokens one inference takes ([CLS] and [SEP] included); see <see cref="LongText"/>.</summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>
    /// <c>truncate</c> (the default): a longer text is cut at <see cref="MaxTokens"/>. <c>window</c>: it is embedded in
    /// windows of that size and their vectors averaged, so a late mention still counts (at the cost of more inference).
    /// </summary>
    public string LongText { get; set; } = "truncate";

    /// <summary>Threads one inference may use; 1 lets concurrent documents use the cores instead.</summary>
    public int Threads { get; set; } = 1;

    /// <summary><c>title+text</c> (the default) or <c>text</c>.</summary>
    public string Field { get; set; } = "title+text";

    /// <summary>Concurrent documents gathered into one inference, at most this many.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>How long a batch waits for company after its first document, in milliseconds.</summary>
    public double BatchWaitMs { get; set; } = 2;
}

/// <summary>Embeds a document with a sentence-transformer; value <c>{"model", "dimensions", "vector": [...]}</c>.</summary>
internal sealed class OnnxEmbeddingAnnotator(EmbeddingModel embeddings, string model, OnnxEmbeddingOptions options) : IAnnotator, IMeasuredAnnotator
{
    /// <summary>The encoders loaded in this process so far (for benchmarks and metrics: batch sizes gathered).</summary>
    public static IEnumerable<EmbeddingModel> LoadedModels => ModelCache.Loaded<EmbeddingModel>();

    public static AnnotatorKind Kind { get; } = new AnnotatorKind<OnnxEmbeddingOptions>(
        "onnx-embedding", "sentence embedding with an ONNX sentence-transformer", Create, Check);

    /// <summary>The options, and that the files they name are there: no model is loaded.</summary>
    private static void Check(OnnxEmbeddingOptions options, AnnotatorSpec spec)
    {
        if (options.MaxTokens is < 8 or > 512) throw new AnnotatorConfigurationException("option 'maxTokens' must be between 8 and 512");
        if (options.Threads is < 1 or > 64) throw new AnnotatorConfigurationException("option 'threads' must be between 1 and 64");
        if (options.LongText is not ("truncate" or "window")) throw new AnnotatorConfigurationException($"option 'longText' must be 'truncate' or 'window', not '{options.LongText}'");
        if (options.Field is not ("title+text" or "text")) throw new AnnotatorConfigurationException($"option 'field' must be 'title+text' or 'text', not '{options.Field}'");
        if (options.BatchSize is < 1 or > 256) throw new AnnotatorConfigurationException("option 'batchSize' must be between 1 and 256");
        if (options.BatchWaitMs is < 0 or > 1000) throw new AnnotatorConfigurationException("option 'batchWaitMs' must be between 0 and 1000");
        if (BuiltInModels.IsBuiltIn(options.Model)) return;
        var path = Path.GetFullPath(options.Model, spec.BaseDirectory);
        if (!File.Exists(path)) throw new AnnotatorConfigurationException($"model file {path} does not exist");
        if (options.Vocabulary is null) throw new AnnotatorConfigurationException($"option 'vocabulary' (a vocab.txt) is required with model file {path}");
        var vocabulary = Path.GetFullPath(options.Vocabulary, spec.BaseDirectory);
        if (!File.Exists(vocabulary)) throw new AnnotatorConfigurationException($"vocabulary file {vocabulary} does not exist");
    }

    private static OnnxEmbeddingAnnotator Create(OnnxEmbeddingOptions options, AnnotatorSpec spec)
    {
        var path = BuiltInModels.IsBuiltIn(options.Model) ? options.Model : Path.GetFullPath(options.Model, spec.BaseDirectory);
        var vocabulary = options.Vocabulary is null ? null : Path.GetFullPath(options.Vocabulary, spec.BaseDirectory);
        var key = (path, vocabulary, options.MaxTokens, options.LongText, options.Threads, options.BatchSize, options.BatchWaitMs);
        var loaded = ModelCache.GetOrLoad(key, () => new EmbeddingModel(Load(path, options, spec), options.BatchSize, TimeSpan.FromMilliseconds(options.BatchWaitMs), Path.GetFileName(path)),
            path, vocabulary);
        return new OnnxEmbeddingAnnotator(loaded, options.Model, options);
    }

    private static SentenceEncoder Load(string path, OnnxEmbeddingOptions options, AnnotatorSpec spec)
    {
        if (BuiltInModels.IsBuiltIn(path))
            return new SentenceEncoder(BuiltInModels.Onnx(path), BuiltInModels.MiniLmVocabulary(), options.MaxTokens, options.Threads, options.LongText == "window");
        var vocabulary = Path.GetFullPath(options.Vocabulary!, spec.BaseDirectory);
        try
        {
            return new SentenceEncoder(File.ReadAllBytes(path), File.ReadAllText(vocabulary).ReplaceLineEndings("\n"), options.MaxTokens, options.Threads, options.LongText == "window");
        }
        catch (OnnxRuntimeException e)
        {
            throw new AnnotatorConfigurationException($"model file {path} is not a readable ONNX model: {e.Message}", e);
        }
        catch (AnnotatorConfigurationException e)
        {
            throw new AnnotatorConfigurationException($"model file {path}: {e.Message}", e);
        }
    }

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var text = options.Field == "text" ? input.Document.Text : input.Document.TitleAndText;
        var vector = await embeddings.Batcher.SubmitAsync(text, cancellationToken);
        return Annotation.Of(new JsonObject
        {
            ["model"] = model,
            ["dimensions"] = vector.Length,
            ["vector"] = new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]),
        });
    }

    public void MeasureWith(Meter meter) => embeddings.Batcher.MeasureWith(meter);
}
