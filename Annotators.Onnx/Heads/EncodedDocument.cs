using System.Text.Json;
using Herald.Annotators.Onnx.Embeddings;

namespace Herald.Annotators.Onnx.Heads;

/// <summary>
/// A document's word states as its embedding annotator encoded them, found by the heads that read words. The embedding
/// kept them in <see cref="WordStateCache"/> (keyed by its encoder and the text it encoded: title and text, or text
/// alone); only when they are gone (evicted, or this head runs on another silo) is the document encoded again, by the
/// same loaded encoder, and <see cref="Reencoded"/> counts it.
/// </summary>
internal static class EncodedDocument
{
    private static long _reencoded;

    /// <summary>Documents encoded a second time because their states were not kept: should stay near zero.</summary>
    public static long Reencoded => Interlocked.Read(ref _reencoded);

    /// <summary>
    /// The head file's encoder (metadata <c>encoder</c>, written by <c>herald models train</c>), which (with its int8
    /// copy) from now on keeps word states.
    /// </summary>
    public static string? EncoderOf(Classification.ClassificationHead head)
    {
        var encoder = head.Metadata.GetValueOrDefault("encoder");
        if (encoder is null) return null;
        WordStateCache.Shared.Want(encoder);
        WordStateCache.Shared.Want(encoder + QuantizedSuffix);
        return encoder;
    }

    /// <summary>An encoder's int8 copy (<c>herald models quantize</c>) is named so; its states approximate the original's (cosine 0.99).</summary>
    private const string QuantizedSuffix = "-int8";

    /// <summary>The states and where the document's text starts in them.</summary>
    /// <param name="trainedOn">The encoder the head was trained on: states of another encoder would mean nothing to it.</param>
    public static async Task<(WordStates States, int Offset)> WordsAsync(AnnotatorInput input, string encoderDependency, string? trainedOn, CancellationToken cancellationToken)
    {
        var embedding = input.Dependency(encoderDependency)
            ?? throw new InvalidOperationException($"needs the '{encoderDependency}' annotation (an onnx-embedding) in its requires");
        var model = embedding.Value.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        var encoder = Path.GetFileName(model);
        if (trainedOn is not null && trainedOn != encoder && trainedOn + QuantizedSuffix != encoder)
            throw new InvalidOperationException($"the head was trained on {trainedOn}'s word states, but '{encoderDependency}' runs {encoder}");
        WordStateCache.Shared.Want(encoder);
        // The embedding encoded the title and text, or (with field: text) the text alone.
        var document = input.Document;
        if (WordStateCache.Shared.Find(encoder, document.TitleAndText) is { } titled) return (titled, document.TextOffset);
        if (WordStateCache.Shared.Find(encoder, document.Text) is { } plain) return (plain, 0);

        var loaded = OnnxEmbeddingAnnotator.LoadedModels.FirstOrDefault(e => e.Name == encoder)
            ?? throw new InvalidOperationException($"the encoder {encoder} of '{encoderDependency}' is not loaded on this silo");
        Interlocked.Increment(ref _reencoded);
        var text = document.TitleAndText;
        await loaded.Batcher.SubmitAsync(text, cancellationToken);
        return (WordStateCache.Shared.Find(encoder, text) ?? loaded.Encoder.EncodeWithStates([text])[0].States, document.TextOffset);
    }
}
