using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Herald.Annotators.Onnx.Text;

/// <summary>
/// WordPiece tokenization that gives the same ids as the BERT-uncased tokenizer the sentence-transformer models
/// were trained with. Microsoft.ML.Tokenizers' defaults do not: they drop symbols ("$40M" -> "40 m") and turn
/// accented words into [UNK]. Agreement needs BERT's own rules: lower-case; decompose (NFD, which needs ICU:
/// under invariant globalization it silently does nothing) so accents can be dropped; and split off exactly
/// what BERT calls punctuation, ASCII punctuation and Unicode P* characters, while other symbols stay attached
/// ("€37" -> "€", "##37").
/// </summary>
public sealed partial class BertTextTokenizer
{
    private static readonly string[] Specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly BertTokenizer _tokenizer;

    public BertTextTokenizer(string vocabulary)
    {
        var ids = vocabulary.Split('\n').Select((token, id) => (token, id)).Where(t => Specials.Contains(t.token)).ToDictionary(t => t.token, t => t.id);
        _tokenizer = BertTokenizer.Create(new MemoryStream(Encoding.UTF8.GetBytes(vocabulary)), new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true,
            ApplyBasicTokenization = true,
            PreTokenizer = new RegexPreTokenizer(Words(), ids),
            SpecialTokens = ids,
        });
    }

    [GeneratedRegex(@"[^\s\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]+|[\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]")]
    private static partial Regex Words();

    public int PaddingId => _tokenizer.PaddingTokenId;

    /// <summary>[CLS] tokens [SEP], truncated to at most <paramref name="maxTokens"/> ids in all.</summary>
    public int[] Encode(string text, int maxTokens)
    {
        var ids = _tokenizer.EncodeToIds(text.Normalize(NormalizationForm.FormD), maxTokens, addSpecialTokens: true, out _, out _);
        return [.. ids];
    }
}
