namespace Herald.Annotators.Onnx.Classification;

/// <summary>Options of the <c>onnx-classifier</c> kind.</summary>
internal sealed class OnnxClassifierOptions
{
    /// <summary>The .onnx head, relative to the pipeline file: one float input [batch, dimensions], scores out.</summary>
    public string? Model { get; set; }

    /// <summary>A labels file (one per line, or a config.json with id2label); default: the model's <c>labels</c> metadata.</summary>
    public string? Labels { get; set; }

    /// <summary>
    /// The dependency whose <c>vector</c> is the head's input (an <c>onnx-embedding</c> annotator), or <c>text</c>: the
    /// document itself, for a model whose input is a string.
    /// </summary>
    public string Input { get; set; } = "embedding";

    /// <summary>With <c>input: text</c>: <c>title+text</c> (the default) or <c>text</c>.</summary>
    public string Field { get; set; } = "title+text";

    /// <summary>With <c>input: text</c>: lower-case the text first (for models trained on lower-cased text).</summary>
    public bool Lowercase { get; set; }

    /// <summary>The model output holding the scores; default: its only float [batch, labels] output.</summary>
    public string? Output { get; set; }

    public int Threads { get; set; } = 1;

    public int BatchSize { get; set; } = 32;

    public double BatchWaitMs { get; set; } = 1;
}
