using Herald.Annotators.Serving;
using Herald.Annotators.Onnx.Serving;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Herald.Annotators.Onnx.Classification;

/// <summary>What a head scores: a feature vector (an embedding), or text for a model that takes text.</summary>
internal readonly record struct HeadInput(float[]? Vector, string? Text);

/// <summary>
/// A classification head on one shared <see cref="InferenceSession"/>: a batch of feature vectors (or of texts, for a
/// model with a string input) in, one probability distribution over <see cref="Labels"/> per row out. The signature is
/// checked when it loads.
/// </summary>
internal sealed class ClassificationHead : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly int _inputRank;

    public ClassificationHead(string path, string? labelsPath, string? output, int threads, int batchSize, TimeSpan batchWait)
    {
        _session = ModelFiles.OpenSession(path, threads);
        try
        {
            ModelFiles.CheckSession(_session.InputMetadata.Count == 1, path,
                $"must have one input (a feature vector or text), but has {_session.InputMetadata.Count}: {string.Join(", ", _session.InputMetadata.Keys)}");
            var (inputName, input) = _session.InputMetadata.Single();
            TakesText = input.ElementType == typeof(string) && input.Dimensions.Length is 1 or 2;
            ModelFiles.CheckSession(TakesText || (input.ElementType == typeof(float) && input.Dimensions.Length == 2 && input.Dimensions[1] > 0), path,
                $"input '{inputName}' must be float [batch, dimensions] or string [batch, 1], not {Describe(input)}");
            _inputName = inputName;
            _inputRank = input.Dimensions.Length;
            Dimensions = TakesText ? 0 : input.Dimensions[1];

            Labels = ModelFiles.Labels(_session, path, labelsPath);
            _outputName = output ?? ScoresOutput(path);
            var scores = _session.OutputMetadata.GetValueOrDefault(_outputName);
            ModelFiles.CheckSession(scores is { Dimensions.Length: 2 } && scores.ElementType == typeof(float), path,
                $"has no float [batch, labels] output '{_outputName}' (outputs: {Outputs()})");
            var width = scores!.Dimensions[1];
            ModelFiles.CheckSession(width <= 0 || width == Labels.Length, path,
                $"scores {width} labels per row but {Labels.Length} labels are given ({string.Join(", ", Labels)})");
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        Batcher = new MicroBatcher<HeadInput, float[]>(
            inputs => TakesText ? ScoreTexts([.. inputs.Select(i => i.Text ?? "")]) : Score([.. inputs.Select(i => i.Vector ?? [])]), batchSize, batchWait,
            model: Path.GetFileName(path));
    }

    /// <summary>The model takes text (a string input) rather than a feature vector.</summary>
    public bool TakesText { get; }

    /// <summary>Width of the feature vector input (0 for a model that takes text).</summary>
    public int Dimensions { get; }

    public string[] Labels { get; }

    /// <summary>The model's metadata (labels, and for Herald's heads the encoder they read).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    public MicroBatcher<HeadInput, float[]> Batcher { get; }

    /// <summary>Probabilities per label for each vector, in one inference.</summary>
    public float[][] Score(IReadOnlyList<float[]> vectors)
    {
        var features = new DenseTensor<float>([vectors.Count, Dimensions]);
        for (var row = 0; row < vectors.Count; row++)
        {
            if (vectors[row].Length != Dimensions)
                throw new InvalidOperationException($"the input vector has {vectors[row].Length} dimensions; the model takes {Dimensions}");
            vectors[row].CopyTo(features.Buffer.Span.Slice(row * Dimensions, Dimensions));
        }
        return Run(NamedOnnxValue.CreateFromTensor(_inputName, features), vectors.Count);
    }

    /// <summary>Probabilities per label for each text, in one inference (a model with a string input).</summary>
    public float[][] ScoreTexts(IReadOnlyList<string> texts)
    {
        var input = new DenseTensor<string>(texts.ToArray(), _inputRank == 2 ? [texts.Count, 1] : [texts.Count]);
        return Run(NamedOnnxValue.CreateFromTensor(_inputName, input), texts.Count);
    }

    private float[][] Run(NamedOnnxValue input, int rows)
    {
        using var results = _session.Run([input], [_outputName]);
        var scores = results[0].AsTensor<float>();
        if (scores.Dimensions[1] != Labels.Length)
            throw new InvalidOperationException($"the model scored {scores.Dimensions[1]} labels per row, but {Labels.Length} labels are configured");
        return [.. Enumerable.Range(0, rows).Select(row => Distribution(scores, row))];
    }

    private float[] Distribution(Tensor<float> scores, int row) =>
        LabelDistribution.Normalize([.. Enumerable.Range(0, Labels.Length).Select(i => scores[row, i])]);

    /// <summary>
    /// The float [batch, labels] output. Exporters add pass-through outputs (ML.NET's "Features.output", as wide as the
    /// input, or its text features), so those are not candidates, and among several the one as wide as the labels wins;
    /// otherwise the 'output' option must name it.
    /// </summary>
    private string ScoresOutput(string path)
    {
        var candidates = _session.OutputMetadata
            .Where(o => o.Value.ElementType == typeof(float) && o.Value.Dimensions.Length == 2 && o.Value.Dimensions[1] != Dimensions)
            .Select(o => o.Key).ToList();
        if (candidates.Count > 1 && candidates.Count(c => _session.OutputMetadata[c].Dimensions[1] == Labels.Length) == 1)
            candidates = [.. candidates.Where(c => _session.OutputMetadata[c].Dimensions[1] == Labels.Length)];
        return candidates.Count == 1 ? candidates[0] : throw new AnnotatorConfigurationException(
            $"model file {path} has {candidates.Count} float [batch, labels] outputs ({Outputs()}): name the scores with option 'output'");
    }

    private string Outputs() => string.Join(", ", _session.OutputMetadata.Select(o => $"{o.Key} {Describe(o.Value)}"));

    private static string Describe(NodeMetadata metadata) => $"{metadata.ElementType.Name} [{string.Join(", ", metadata.Dimensions)}]";

    public void Dispose() => _session.Dispose();
}
