using System.Text;

namespace Herald.Pipelines.Conditions;

internal enum TokenKind { Word, String, Number, Symbol, End }

internal readonly record struct ConditionToken(TokenKind Kind, string Text, int Position);

internal static class ConditionTokenizer
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", ".", ","];

    public static List<ConditionToken> Tokenize(string text)
    {
        var tokens = new List<ConditionToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '\'')
            {
                tokens.Add(ReadString(text, ref i));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))) i++;
                tokens.Add(new(TokenKind.Number, text[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                // Annotator names may contain '-' (event-type), so words do too.
                var start = i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-')) i++;
                tokens.Add(new(TokenKind.Word, text[start..i], start));
            }
            else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0) is { } symbol)
            {
                tokens.Add(new(TokenKind.Symbol, symbol, i));
                i += symbol.Length;
            }
            else
            {
                throw new ConditionSyntaxException($"unexpected character '{c}' at column {i + 1}", i);
            }
        }
        tokens.Add(new(TokenKind.End, "", text.Length));
        return tokens;
    }

    private static ConditionToken ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length) i++;
            value.Append(text[i++]);
        }
        if (i >= text.Length)
            throw new ConditionSyntaxException($"unterminated string starting at column {start + 1}", start);
        i++;
        return new(TokenKind.String, value.ToString(), start);
    }
}
