using Herald.Annotators.Onnx.Serving;
using Herald.Annotators.Onnx.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Herald.Annotators.Onnx.Embeddings;

/// <summary>
/// A sentence-transformer: tokenizer + ONNX encoder + mean pooling over the attention mask + L2 normalisation.
/// One <see cref="InferenceSession"/>, safe to run from many threads; a batch is padded to its longest text.
/// </summary>
internal sealed class SentenceEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly BertTextTokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly bool _window;

    /// <summary>With windowing, the most windows one text is embedded in (about 2,000 words at 256 tokens).</summary>
    public const int MaxWindows = 8;
    private readonly bool _hasTokenTypes;

    /// <param name="window">
    /// Texts longer than <paramref name="maxTokens"/> are embedded in consecutive windows of that size whose vectors are
    /// averaged (weighted by their tokens), so the whole text counts; otherwise they are truncated.
    /// </param>
    public SentenceEncoder(byte[] onnxModel, string vocabulary, int maxTokens, int intraOpThreads, bool window = false)
    {
        _window = window;
        _session = new InferenceSession(onnxModel, ModelFiles.SessionOptions(intraOpThreads));
        _tokenizer = new BertTextTokenizer(vocabulary);
        _maxTokens = maxTokens;
        string[] required = ["input_ids", "attention_mask"];
        var missing = required.Where(name => !_session.InputMetadata.ContainsKey(name)).ToList();
        if (missing.Count > 0 || _session.OutputMetadata.Count == 0)
            throw new AnnotatorConfigurationException(
                $"the model does not look like a sentence encoder: it lacks input(s) {string.Join(", ", missing)} (it has {string.Join(", ", _session.InputMetadata.Keys)})");
        _hasTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        OutputName = _session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : _session.OutputMetadata.Keys.First();
        Dimensions = _session.OutputMetadata[OutputName].Dimensions[^1];
    }

    public string OutputName { get; }

    public int Dimensions { get; }

    /// <summary>Embeds every text in one inference; rows are unit vectors.</summary>
    public float[][] Encode(IReadOnlyList<string> texts) => [.. Embed(texts, keepStates: false).Select(e => e.Vector)];

    /// <summary>
    /// Embeds every text and keeps the contextual state of each of its words, from the same inference: what the word
    /// heads (entities, roles) read, so the encoder runs once per document for the embedding and them. The vectors are
    /// those <see cref="Encode"/> gives.
    /// </summary>
    public (float[] Vector, WordStates States)[] EncodeWithStates(IReadOnlyList<string> texts) =>
        [.. Embed(texts, keepStates: true).Select(e => (e.Vector, e.States!))];

    private (float[] Vector, WordStates? States)[] Embed(IReadOnlyList<string> texts, bool keepStates)
    {
        // At most MaxWindows windows: the rest of a very long text is left out, so one document's inference stays bounded.
        var limit = _window ? MaxWindows * (_maxTokens - 2) + 2 : _maxTokens;
        // Word by word gives the ids the whole text does; it is slower, so it is done only when word states are kept.
        var pieces = texts.Select(t => keepStates ? _tokenizer.EncodeWords(t, limit) : new WordPieces(_tokenizer.Encode(t, limit), [], [])).ToArray();
        var rows = pieces.SelectMany((p, text) => Windows(p).Select(w => (Text: text, w.Ids, w.WordOfToken))).ToList();
        var (hidden, sequence) = Run([.. rows.Select(r => r.Ids)]);
        var windows = texts.Select(_ => new List<(float[] Vector, int Tokens)>()).ToArray();
        var states = pieces.Select(p => new float[p.Words.Length * Dimensions]).ToArray();
        var seen = pieces.Select(p => new bool[p.Words.Length]).ToArray();
        for (var row = 0; row < rows.Count; row++)
        {
            var (text, ids, wordOfToken) = rows[row];
            windows[text].Add((Normalise(MeanPool(hidden.AsSpan(row * sequence * Dimensions, sequence * Dimensions), ids.Length)), ids.Length));
            // A word's state is its first word piece's, in whichever window that falls.
            for (var token = 0; token < wordOfToken.Length; token++)
            {
                var word = wordOfToken[token];
                if (word < 0 || seen[text][word]) continue;
                seen[text][word] = true;
                hidden.AsSpan((row * sequence + token) * Dimensions, Dimensions).CopyTo(states[text].AsSpan(word * Dimensions));
            }
        }
        return [.. texts.Select((t, i) => (Combine(windows[i]), keepStates ? new WordStates(t, pieces[i].Words, states[i], Dimensions) : null))];
    }

    /// <summary>One window's vector, or the windows' vectors averaged, weighted by their tokens, and normalised again.</summary>
    private float[] Combine(List<(float[] Vector, int Tokens)> windows)
    {
        if (windows.Count == 1) return windows[0].Vector;
        var sum = new float[Dimensions];
        foreach (var (vector, tokens) in windows)
            for (var d = 0; d < Dimensions; d++) sum[d] += vector[d] * tokens;
        return Normalise(sum);
    }

    /// <summary>The rows to embed for one text: itself, or with windowing one row per window ([CLS] ... [SEP] each).</summary>
    private IEnumerable<(int[] Ids, int[] WordOfToken)> Windows(WordPieces pieces)
    {
        var (ids, words) = (pieces.Ids, pieces.WordOfToken);
        if (ids.Length <= _maxTokens)
        {
            yield return (ids, words);
            yield break;
        }
        var size = _maxTokens - 2;
        for (var start = 1; start < ids.Length - 1; start += size)
        {
            var length = Math.Min(size, ids.Length - 1 - start);
            yield return ([ids[0], .. ids.AsSpan(start, length), ids[^1]], words.Length == 0 ? [] : [-1, .. words.AsSpan(start, length), -1]);
        }
    }

    /// <summary>One inference: the last hidden state [rows, sequence, dimensions] as one flat buffer, and the padded sequence length.</summary>
    private (float[] Hidden, int Sequence) Run(int[][] encoded)
    {
        var inputs = BertInputs.Create(encoded, _tokenizer.PaddingId, _hasTokenTypes);
        using var results = _session.Run(inputs, [OutputName]);
        var hidden = results[0].AsTensor<float>();
        // Copied out of the native result, which is released with it.
        return (hidden.ToDenseTensor().Buffer.ToArray(), hidden.Dimensions[1]);
    }

    /// <summary>The mean of a row's first <paramref name="tokens"/> states (the rest is padding); not normalised.</summary>
    private float[] MeanPool(ReadOnlySpan<float> row, int tokens)
    {
        var vector = new float[Dimensions];
        for (var token = 0; token < tokens; token++)
        {
            var state = row.Slice(token * Dimensions, Dimensions);
            for (var d = 0; d < Dimensions; d++) vector[d] += state[d];
        }
        for (var d = 0; d < Dimensions; d++) vector[d] /= tokens;
        return vector;
    }

    private static float[] Normalise(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var d = 0; d < vector.Length; d++) vector[d] /= norm;
        return vector;
    }

    public void Dispose() => _session.Dispose();
}
