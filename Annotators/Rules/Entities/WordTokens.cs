using System.Text.RegularExpressions;

namespace Herald.Annotators.Rules.Entities;

/// <summary>A word or punctuation mark of the text, with what the recogniser needs to know about it.</summary>
internal readonly record struct WordToken(int Start, int End, string Text, bool IsWord, bool StartsSentence, bool IsTagged)
{
    /// <summary>"Brennan-Oduya", "AI", "Ångström": every hyphen part starts with a capital ("Bengaluru-based" does not).</summary>
    public bool IsCapitalised => IsWord && !IsTagged && char.IsUpper(Text[0]) &&
        Text.Split('-').All(part => part.Length > 0 && char.IsUpper(part[0]));

    /// <summary>The word without an abbreviation's dot, for look-ups.</summary>
    public string Bare => Text.TrimEnd('.');
}

/// <summary>Splits text into words (keeping abbreviations like "Inc." whole) and punctuation, marking sentence starts.</summary>
internal static partial class WordTokens
{
    // Letters and digits, joined by inner hyphens, apostrophes or dots ("Brennan-Oduya", "S.A", "O'Neil").
    [GeneratedRegex(@"[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}]|[\-'’.](?=[\p{L}\p{N}]))*|[^\s\p{L}\p{N}]")]
    private static partial Regex Pieces();

    /// <summary>Only whitespace, including a newline, between the previous non-space character and <paramref name="start"/>.</summary>
    private static bool NewlineBefore(string text, int start)
    {
        for (var i = start - 1; i >= 0 && char.IsWhiteSpace(text[i]); i--)
            if (text[i] == '\n') return true;
        return false;
    }

    public static IReadOnlyList<WordToken> Of(string text)
    {
        var tokens = new List<WordToken>();
        var sentenceStart = true;
        var consumed = 0;
        foreach (Match match in Pieces().Matches(text))
        {
            var (start, end) = (match.Index, match.Index + match.Length);
            if (start < consumed)
                continue; // the dot of an abbreviation already taken into its word

            var piece = match.Value;
            var isWord = char.IsLetterOrDigit(piece[0]);
            if (!isWord)
            {
                tokens.Add(new WordToken(start, end, piece, false, false, false));
                sentenceStart |= piece is "." or "!" or "?" or ":" or ";" or "|" or "•" or "—" || (piece is "-" or "–" && tokens.Count < 2);
                continue;
            }

            // "Ridge's" is the name "Ridge" followed by a possessive, which ends the name.
            var possessive = piece.EndsWith("'s", StringComparison.Ordinal) || piece.EndsWith("’s", StringComparison.Ordinal);
            if (possessive)
                (piece, end) = (piece[..^2], end - 2);
            if (end < text.Length && text[end] == '.' && !possessive && EntityLexicon.Abbreviations.Contains(piece))
                (piece, end) = (piece + ".", end + 1);

            consumed = end;
            var tagged = start > 0 && text[start - 1] is '#' or '@';
            // A newline starts a sentence too: headlines and tweets often have no final stop.
            var afterNewline = NewlineBefore(text, start);
            tokens.Add(new WordToken(start, end, piece, true, sentenceStart || afterNewline, tagged));
            if (possessive)
                tokens.Add(new WordToken(end, end + 2, "'s", false, false, false));
            sentenceStart = false;
        }
        return tokens;
    }
}
