using System.Collections.Concurrent;

namespace Herald.Annotators.Onnx.Embeddings;

/// <summary>
/// The encoder's contextual state of every word of one encoded text (the state of the word's first word piece), for
/// the heads that read words (entities, roles). Kept in the silo, never on the central topic: a 100-word text is 150 KB.
/// </summary>
internal sealed record WordStates(string Text, (int Start, int End)[] Words, float[] Values, int Dimensions)
{
    public ReadOnlySpan<float> Of(int word) => Values.AsSpan(word * Dimensions, Dimensions);
}

/// <summary>
/// The word states an encoder computed lately, by encoder and text, so a head that runs after the embedding finds them
/// instead of running the encoder again. Bounded by bytes; the oldest go first (heads run within moments of their
/// embedding, so age is what matters). A miss (evicted, or the head ran on another silo) costs one more encoding.
/// </summary>
internal sealed class WordStateCache(long maxBytes)
{
    public static WordStateCache Shared { get; } = new(64L << 20);

    private readonly ConcurrentDictionary<(string Encoder, string Text), WordStates> _states = new();
    private readonly ConcurrentQueue<(string Encoder, string Text)> _order = new();
    private readonly ConcurrentDictionary<string, bool> _wanted = new();
    private long _bytes;

    /// <summary>A head reads this encoder's words: from now on its encodings keep them.</summary>
    public void Want(string encoder) => _wanted[encoder] = true;

    public bool IsWanted(string encoder) => _wanted.ContainsKey(encoder);

    public void Add(string encoder, WordStates states)
    {
        if (!_states.TryAdd((encoder, states.Text), states)) return;
        _order.Enqueue((encoder, states.Text));
        Interlocked.Add(ref _bytes, Size(states));
        while (Interlocked.Read(ref _bytes) > maxBytes && _order.TryDequeue(out var oldest))
        {
            if (_states.TryRemove(oldest, out var removed)) Interlocked.Add(ref _bytes, -Size(removed));
        }
    }

    public WordStates? Find(string encoder, string text) => _states.GetValueOrDefault((encoder, text));

    private static long Size(WordStates states) => states.Values.LongLength * sizeof(float) + states.Text.Length * 2L + states.Words.LongLength * 8;
}
