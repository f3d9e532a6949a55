using Herald.Annotators.Onnx.Serving;
using Herald.Annotators.Onnx.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Herald.Annotators.Onnx.Embeddings;

/// <summary>
/// A sentence-transformer: tokenizer + ONNX encoder + mean pooling over the attention mask + L2 normalisation.
/// One <see cref="InferenceSession"/>, safe to run from many threads; a batch is padded to its longest text.
/// </summary>
public sealed class SentenceEncoder : IDisposable
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
    public float[][] Encode(IReadOnlyList<string> texts)
    {
        var windows = texts.Select(Windows).ToArray();
        var vectors = EncodeRows([.. windows.SelectMany(w => w)]);
        var results = new float[texts.Count][];
        var row = 0;
        for (var text = 0; text < texts.Count; text++)
        {
            if (windows[text].Count == 1)
            {
                results[text] = vectors[row++];
                continue;
            }
            var sum = new float[Dimensions];
            foreach (var window in windows[text])
            {
                var vector = vectors[row++];
                for (var d = 0; d < Dimensions; d++) sum[d] += vector[d] * window.Length;
            }
            results[text] = Normalise(sum);
        }
        return results;
    }

    /// <summary>
    /// Embeds every text and keeps the contextual state of each of its words, from the same inference: what the word
    /// heads (entities, roles) read, so the encoder runs once per document for the embedding and them.
    /// </summary>
    public (float[] Vector, WordStates States)[] EncodeWithStates(IReadOnlyList<string> texts)
    {
        var pieces = texts.Select(t => _tokenizer.EncodeWords(t, _window ? MaxWindows * (_maxTokens - 2) + 2 : _maxTokens)).ToArray();
        var rows = new List<(int Text, int[] Ids, int[] WordOfToken)>();
        for (var text = 0; text < texts.Count; text++)
        {
            var (ids, words) = (pieces[text].Ids, pieces[text].WordOfToken);
            if (ids.Length <= _maxTokens)
            {
                rows.Add((text, ids, words));
                continue;
            }
            // Windows of [CLS] content [SEP], as in Encode; a word split across two windows keeps its first piece's state.
            var size = _maxTokens - 2;
            for (var start = 1; start < ids.Length - 1; start += size)
            {
                var length = Math.Min(size, ids.Length - 1 - start);
                rows.Add((text, [ids[0], .. ids.AsSpan(start, length), ids[^1]], [-1, .. words.AsSpan(start, length), -1]));
            }
        }
        var (hidden, sequence) = Run([.. rows.Select(r => r.Ids)]);
        var results = new (float[] Vector, WordStates States)[texts.Count];
        var sums = texts.Select(_ => new float[Dimensions]).ToArray();
        var states = pieces.Select(p => new float[p.Words.Length * Dimensions]).ToArray();
        var seen = pieces.Select(p => new bool[p.Words.Length]).ToArray();
        for (var row = 0; row < rows.Count; row++)
        {
            var (text, ids, wordOfToken) = rows[row];
            var pooled = MeanPool(hidden.AsSpan(row * sequence * Dimensions, sequence * Dimensions), ids.Length);
            for (var d = 0; d < Dimensions; d++) sums[text][d] += pooled[d] * ids.Length;
            for (var token = 0; token < ids.Length; token++)
            {
                var word = wordOfToken[token];
                if (word < 0 || seen[text][word]) continue;
                seen[text][word] = true;
                hidden.AsSpan((row * sequence + token) * Dimensions, Dimensions).CopyTo(states[text].AsSpan(word * Dimensions));
            }
        }
        for (var text = 0; text < texts.Count; text++)
            results[text] = (Normalise(sums[text]), new WordStates(texts[text], pieces[text].Words, states[text], Dimensions));
        return results;
    }

    /// <summary>The token ids to embed for one text: one row, or with windowing one row per window ([CLS] ... [SEP] each).</summary>
    private List<int[]> Windows(string text)
    {
        if (!_window) return [_tokenizer.Encode(text, _maxTokens)];
        // At most MaxWindows windows: the rest of a very long text is left out, so one document's inference stays bounded.
        var ids = _tokenizer.Encode(text, MaxWindows * (_maxTokens - 2) + 2);
        if (ids.Length <= _maxTokens) return [ids];
        var (cls, sep, content) = (ids[0], ids[^1], ids[1..^1]);
        return [.. content.Chunk(_maxTokens - 2).Select(chunk => (int[])[cls, .. chunk, sep])];
    }

    private float[][] EncodeRows(int[][] encoded)
    {
        var (hidden, sequence) = Run(encoded);
        return [.. Enumerable.Range(0, encoded.Length).Select(row => Normalise(MeanPool(hidden.AsSpan(row * sequence * Dimensions, sequence * Dimensions), encoded[row].Length)))];
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
