using Herald.Annotators.Serving;
using Herald.Annotators.Onnx.Serving;
namespace Herald.Annotators.Onnx.Embeddings;

/// <summary>A loaded sentence encoder with the micro-batcher that feeds it; one per model and settings per process.</summary>
internal sealed class EmbeddingModel
{
    private long _batches;
    private long _documents;

    public EmbeddingModel(SentenceEncoder encoder, int batchSize, TimeSpan batchWait, string name)
    {
        Encoder = encoder;
        Name = name;
        Batcher = new MicroBatcher<string, float[]>(Encode, batchSize, batchWait, size =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _documents, size);
        }, name);
    }

    public SentenceEncoder Encoder { get; }

    /// <summary>The encoder's name (the built-in model's, or its file's): what heads name it by in <see cref="WordStateCache"/>.</summary>
    public string Name { get; }

    /// <summary>Texts encoded so far (each text once per inference, whoever asked).</summary>
    public long Encoded => Interlocked.Read(ref _documents);

    public MicroBatcher<string, float[]> Batcher { get; }

    /// <summary>Embeds a batch; when a head reads this encoder's words, the same inference keeps them for it.</summary>
    private float[][] Encode(IReadOnlyList<string> texts)
    {
        if (!WordStateCache.Shared.IsWanted(Name)) return Encoder.Encode(texts);
        var encoded = Encoder.EncodeWithStates(texts);
        foreach (var (_, states) in encoded) WordStateCache.Shared.Add(Name, states);
        return [.. encoded.Select(e => e.Vector)];
    }

    /// <summary>Average documents per inference so far: how much micro-batching is gathering.</summary>
    public double AverageBatchSize => Interlocked.Read(ref _batches) == 0 ? 0 : (double)Interlocked.Read(ref _documents) / Interlocked.Read(ref _batches);
}
