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
    private readonly bool _hasTokenTypes;

    public SentenceEncoder(byte[] onnxModel, string vocabulary, int maxTokens, int intraOpThreads)
    {
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
        var encoded = texts.Select(t => _tokenizer.Encode(t, _maxTokens)).ToArray();
        var length = encoded.Max(ids => ids.Length);
        var shape = new[] { texts.Count, length };
        var ids = new DenseTensor<long>(shape);
        var mask = new DenseTensor<long>(shape);
        var types = new DenseTensor<long>(shape);
        for (var row = 0; row < encoded.Length; row++)
        {
            for (var column = 0; column < length; column++)
            {
                var present = column < encoded[row].Length;
                ids[row, column] = present ? encoded[row][column] : _tokenizer.PaddingId;
                mask[row, column] = present ? 1 : 0;
            }
        }
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", ids),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
        };
        if (_hasTokenTypes) inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", types));

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
        var norm = 0f;
        for (var d = 0; d < Dimensions; d++)
        {
            vector[d] /= tokens;
            norm += vector[d] * vector[d];
        }
        norm = MathF.Sqrt(norm);
        for (var d = 0; d < Dimensions; d++) vector[d] /= norm;
        return vector;
    }

    public void Dispose() => _session.Dispose();
}
