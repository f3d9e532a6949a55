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
internal sealed partial class BertTextTokenizer
{
    private static readonly string[] Specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly BertTokenizer _tokenizer;
    private readonly bool _lowerCase;

    /// <param name="lowerCase">
    /// Uncased models (the default, like MiniLM) lower-case and drop accents; cased ones (bert-base-cased NER exports)
    /// keep both, as their tokenizer's do_lower_case=false does.
    /// </param>
    public BertTextTokenizer(string vocabulary, bool lowerCase = true)
    {
        _lowerCase = lowerCase;
        var ids = vocabulary.Split('\n').Select((token, id) => (token, id)).Where(t => Specials.Contains(t.token)).ToDictionary(t => t.token, t => t.id);
        _tokenizer = BertTokenizer.Create(new MemoryStream(Encoding.UTF8.GetBytes(vocabulary)), new BertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            RemoveNonSpacingMarks = lowerCase,
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
        var ids = _tokenizer.EncodeToIds(Normalize(text), maxTokens, addSpecialTokens: true, out _, out _);
        return [.. ids];
    }

    /// <summary>
    /// [CLS] tokens [SEP] with, for every token, the word of <paramref name="text"/> it came from: words are found in the
    /// original text (so their offsets are exact, whatever normalisation does to lengths) and each is split into
    /// word pieces on its own, which gives the same pieces as encoding the whole text.
    /// </summary>
    public WordPieces EncodeWords(string text, int maxTokens)
    {
        var ids = new List<int> { _tokenizer.ClassificationTokenId };
        var wordOfToken = new List<int> { -1 };
        var words = new List<(int Start, int End)>();
        foreach (Match word in Words().Matches(text))
        {
            var pieces = _tokenizer.EncodeToIds(Normalize(word.Value), addSpecialTokens: false);
            if (pieces.Count == 0) continue; // a word the normaliser removed entirely (a lone combining mark)
            if (ids.Count + pieces.Count > maxTokens - 1) break;
            ids.AddRange(pieces);
            wordOfToken.AddRange(Enumerable.Repeat(words.Count, pieces.Count));
            words.Add((word.Index, word.Index + word.Length));
        }
        ids.Add(_tokenizer.SeparatorTokenId);
        wordOfToken.Add(-1);
        return new WordPieces([.. ids], [.. wordOfToken], [.. words]);
    }

    private string Normalize(string text) => _lowerCase ? text.Normalize(NormalizationForm.FormD) : text;
}

/// <summary>Token ids with, per token, the index of its word in <see cref="Words"/> (-1 for [CLS] and [SEP]).</summary>
internal sealed record WordPieces(int[] Ids, int[] WordOfToken, (int Start, int End)[] Words);
