using Microsoft.ML.OnnxRuntime;

namespace Herald.Annotators.Onnx.Serving;

/// <summary>
/// Opens model files for annotator kinds with errors that name the file: a missing file or an unreadable model is
/// a configuration problem found when the pipeline loads, not at the first document.
/// </summary>
internal static class ModelFiles
{
    /// <summary>The absolute path of an option naming a file relative to the pipeline; the file must exist.</summary>
    public static string Resolve(string option, string? path, AnnotatorSpec spec)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new AnnotatorConfigurationException($"option '{option}' is required");
        var full = Path.GetFullPath(path, spec.BaseDirectory);
        if (!File.Exists(full)) throw new AnnotatorConfigurationException($"{option} file {full} does not exist");
        return full;
    }

    public static InferenceSession OpenSession(string path, int threads)
    {
        if (threads is < 1 or > 64) throw new AnnotatorConfigurationException("option 'threads' must be between 1 and 64");
        try
        {
            return new InferenceSession(path, SessionOptions(threads));
        }
        catch (OnnxRuntimeException e)
        {
            throw new AnnotatorConfigurationException($"model file {path} is not a readable ONNX model: {e.Message}", e);
        }
    }

    /// <summary>
    /// Settings for a session that shares its cores with the silo: the given intra-op threads, and no spinning, since
    /// ONNX Runtime's idle threads otherwise spin and take CPU from the grains between inferences.
    /// </summary>
    public static SessionOptions SessionOptions(int threads)
    {
        var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>
    /// Labels in output order: from a labels file (one per line, or a Hugging Face config.json's <c>id2label</c>), else from
    /// the model's metadata key <c>labels</c> (comma-separated).
    /// </summary>
    public static string[] Labels(InferenceSession session, string modelPath, string? labelsPath)
    {
        if (labelsPath is not null)
        {
            return labelsPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? HuggingFaceConfig.Id2Label(labelsPath)
                : [.. File.ReadAllLines(labelsPath).Select(l => l.Trim()).Where(l => l.Length > 0)];
        }
        if (session.ModelMetadata.CustomMetadataMap.TryGetValue("labels", out var labels))
            return labels.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        throw new AnnotatorConfigurationException($"model file {modelPath} has no 'labels' metadata: give option 'labels' (a labels file)");
    }

    public static void CheckSession(bool condition, string path, string problem)
    {
        if (!condition) throw new AnnotatorConfigurationException($"model file {path} {problem}");
    }
}
