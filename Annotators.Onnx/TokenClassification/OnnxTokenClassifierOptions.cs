namespace Herald.Annotators.Onnx.TokenClassification;

/// <summary>
/// Options of the <c>onnx-token-classifier</c> kind. An exported Hugging Face token-classification model drops in with
/// <c>model: ner/model.onnx</c>, <c>vocabulary: ner/vocab.txt</c>, <c>labels: ner/config.json</c> (and
/// <c>lowercase: false</c> for a cased model).
/// </summary>
internal sealed class OnnxTokenClassifierOptions
{
    /// <summary>The .onnx model: input_ids, attention_mask (and token_type_ids) in, logits [batch, sequence, labels] out.</summary>
    public string? Model { get; set; }

    /// <summary>The WordPiece vocab.txt the model was trained with.</summary>
    public string? Vocabulary { get; set; }

    /// <summary>A config.json with id2label, or a file with one label per line; default: the model's <c>labels</c> metadata.</summary>
    public string? Labels { get; set; }

    /// <summary>True for uncased models (lower-case, strip accents); false for cased ones.</summary>
    public bool Lowercase { get; set; } = true;

    /// <summary>Longer texts are truncated to this many tokens ([CLS] and [SEP] included).</summary>
    public int MaxTokens { get; set; } = 512;

    /// <summary>Entities scored below this are left out.</summary>
    public double MinScore { get; set; }

    public int Threads { get; set; } = 1;

    public int BatchSize { get; set; } = 8;

    public double BatchWaitMs { get; set; } = 2;
}
