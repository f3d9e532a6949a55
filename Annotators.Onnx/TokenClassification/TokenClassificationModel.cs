using Herald.Annotators.Serving;
using Herald.Annotators.Onnx.Serving;
using Herald.Annotators.Onnx.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Herald.Annotators.Onnx.TokenClassification;

/// <summary>
/// A token-classification model on one shared session, with the standard exported signature: input_ids,
/// attention_mask (and token_type_ids when present) as int64 [batch, sequence]; logits [batch, sequence, labels].
/// A batch is padded to its longest text. The signature and the label count are checked when it loads.
/// </summary>
internal sealed class TokenClassificationModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly BertTextTokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly double _minScore;
    private readonly bool _hasTokenTypes;
    private readonly string _outputName;

    public TokenClassificationModel(string path, string vocabulary, string? labelsPath, bool lowercase, int maxTokens, double minScore, int threads, int batchSize, TimeSpan batchWait)
    {
        _session = ModelFiles.OpenSession(path, threads);
        try
        {
            string[] required = ["input_ids", "attention_mask"];
            var missing = required.Where(name => !_session.InputMetadata.ContainsKey(name)).ToList();
            ModelFiles.CheckSession(missing.Count == 0, path,
                $"lacks input(s) {string.Join(", ", missing)} of a token classifier (it has {string.Join(", ", _session.InputMetadata.Keys)})");
            var outputs = _session.OutputMetadata.Where(o => o.Value.ElementType == typeof(float) && o.Value.Dimensions.Length == 3).ToList();
            ModelFiles.CheckSession(outputs.Count >= 1, path,
                $"must output logits float [batch, sequence, labels], but its outputs are {string.Join(", ", _session.OutputMetadata.Select(o => $"{o.Key} {o.Value.ElementType.Name} [{string.Join(", ", o.Value.Dimensions)}]"))}");
            _outputName = outputs.FirstOrDefault(o => o.Key == "logits").Key ?? outputs[0].Key;
            Labels = ModelFiles.Labels(_session, path, labelsPath);
            var width = _session.OutputMetadata[_outputName].Dimensions[2];
            ModelFiles.CheckSession(width <= 0 || width == Labels.Length, path,
                $"scores {width} labels per token but {Labels.Length} labels are given ({string.Join(", ", Labels)})");
            _hasTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        _tokenizer = new BertTextTokenizer(vocabulary, lowercase);
        _maxTokens = maxTokens;
        _minScore = minScore;
        Batcher = new MicroBatcher<string, IReadOnlyList<Entity>>(Recognise, batchSize, batchWait, model: Path.GetFileName(path));
    }

    public string[] Labels { get; }

    public MicroBatcher<string, IReadOnlyList<Entity>> Batcher { get; }

    /// <summary>The entities of every text, in one inference.</summary>
    public IReadOnlyList<Entity>[] Recognise(IReadOnlyList<string> texts)
    {
        var encoded = texts.Select(t => _tokenizer.EncodeWords(t, _maxTokens)).ToArray();
        var inputs = BertInputs.Create([.. encoded.Select(e => e.Ids)], _tokenizer.PaddingId, _hasTokenTypes);
        using var results = _session.Run(inputs, [_outputName]);
        var logits = results[0].AsTensor<float>();
        if (logits.Dimensions[2] != Labels.Length)
            throw new InvalidOperationException($"the model scored {logits.Dimensions[2]} labels per token, but {Labels.Length} labels are configured");
        return [.. encoded.Select((e, row) => BioDecoder.Decode(texts[row], e.Words, WordLabels(logits, row, e), _minScore))];
    }

    /// <summary>Each word's label and probability, from its first word piece.</summary>
    private List<(string Label, double Score)> WordLabels(Tensor<float> logits, int row, WordPieces pieces)
    {
        var labels = new List<(string, double)>(pieces.Words.Length);
        for (var token = 0; token < pieces.Ids.Length; token++)
        {
            var word = pieces.WordOfToken[token];
            if (word < 0 || word < labels.Count) continue;
            var scores = Enumerable.Range(0, Labels.Length).Select(l => (double)logits[row, token, l]).ToArray();
            var max = scores.Max();
            var sum = scores.Sum(s => Math.Exp(s - max));
            var best = Array.IndexOf(scores, max);
            labels.Add((Labels[best], 1 / sum));
        }
        return labels;
    }

    public void Dispose() => _session.Dispose();
}
