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
        var inputs = BertInputs.Create(encoded, _tokenizer.PaddingId, _hasTokenTypes);
        using var results = _session.Run(inputs, [OutputName]);
        var hidden = results[0].AsTensor<float>();
        return [.. Enumerable.Range(0, encoded.Length).Select(row => MeanPool(hidden, row, encoded[row].Length))];
    }

    private float[] MeanPool(Tensor<float> hidden, int row, int tokens)
    {
        var vector = new float[Dimensions];
        for (var token = 0; token < tokens; token++)
        {
            for (var d = 0; d < Dimensions; d++) vector[d] += hidden[row, token, d];
        }
        for (var d = 0; d < Dimensions; d++) vector[d] /= tokens;
        return Normalise(vector);
    }

    private static float[] Normalise(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var d = 0; d < vector.Length; d++) vector[d] /= norm;
        return vector;
    }

    public void Dispose() => _session.Dispose();
}
