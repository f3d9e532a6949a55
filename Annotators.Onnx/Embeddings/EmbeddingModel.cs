using Herald.Annotators.Serving;
using Herald.Annotators.Onnx.Serving;
namespace Herald.Annotators.Onnx.Embeddings;

/// <summary>A loaded sentence encoder with the micro-batcher that feeds it; one per model and settings per process.</summary>
public sealed class EmbeddingModel
{
    private long _batches;
    private long _documents;

    public EmbeddingModel(SentenceEncoder encoder, int batchSize, TimeSpan batchWait, string? name = null)
    {
        Encoder = encoder;
        Batcher = new MicroBatcher<string, float[]>(encoder.Encode, batchSize, batchWait, size =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _documents, size);
        }, name);
    }

    public SentenceEncoder Encoder { get; }

    public MicroBatcher<string, float[]> Batcher { get; }

    /// <summary>Average documents per inference so far: how much micro-batching is gathering.</summary>
    public double AverageBatchSize => Interlocked.Read(ref _batches) == 0 ? 0 : (double)Interlocked.Read(ref _documents) / Interlocked.Read(ref _batches);
}
