using Herald.Annotators.Onnx.Embeddings;

namespace Herald.Annotators.Onnx.Heads;

/// <summary>
/// What the entity head sees of one word: its contextual state, its neighbours' states, and its shape. MiniLM is
/// uncased, so capitalisation and the like must come from the text itself. Training and serving build it here alike.
/// </summary>
internal static class WordFeatures
{
    public const int ShapeCount = 14;

    private static readonly HashSet<string> LegalForms = new(StringComparer.OrdinalIgnoreCase)
    {
        "inc", "ltd", "llc", "plc", "corp", "co", "gmbh", "ag", "se", "sa", "sas", "spa", "srl", "bv", "nv", "oy", "ab", "as", "aps",
        "kk", "pty", "bhd", "ltda", "lp", "llp", "group", "holdings", "ventures", "capital", "partners",
    };

    // "Group" in other languages: company words, though not among the shape features the shipped head was trained on.
    private static readonly HashSet<string> GroupWords = new(StringComparer.OrdinalIgnoreCase) { "groep", "gruppe", "groupe", "grupo", "gruppo" };

    /// <summary>A legal form or a word that ends company names ("Holdings", "Groep"): no person's surname.</summary>
    public static bool IsCompanyWord(string word) => LegalForms.Contains(word) || GroupWords.Contains(word);

    public static int Width(int dimensions) => 3 * dimensions + ShapeCount;

    /// <summary>The features of every word, one row each.</summary>
    public static float[][] Of(WordStates states)
    {
        var rows = new float[states.Words.Length][];
        for (var w = 0; w < rows.Length; w++) rows[w] = Of(states, w);
        return rows;
    }

    public static float[] Of(WordStates states, int w)
    {
        var d = states.Dimensions;
        var row = new float[Width(d)];
        states.Of(w).CopyTo(row);
        if (w > 0) states.Of(w - 1).CopyTo(row.AsSpan(d));
        if (w + 1 < states.Words.Length) states.Of(w + 1).CopyTo(row.AsSpan(2 * d));
        Shape(states, w, row.AsSpan(3 * d));
        return row;
    }

    private static void Shape(WordStates states, int w, Span<float> shape)
    {
        var word = Word(states, w);
        var previous = w > 0 ? Word(states, w - 1) : "";
        var next = w + 1 < states.Words.Length ? Word(states, w + 1) : "";
        var letters = word.Where(char.IsLetter).ToList();
        shape[0] = Flag(char.IsUpper(word[0]));
        shape[1] = Flag(letters.Count > 1 && letters.All(char.IsUpper));
        shape[2] = Flag(word.Any(char.IsDigit));
        shape[3] = Flag(!word.Any(char.IsLetterOrDigit));
        shape[4] = Flag(w == 0 || previous is "." or "!" or "?" or ":" or "\"" or "“" || states.Text.AsSpan(states.Words[w - 1].End, states.Words[w].Start - states.Words[w - 1].End).Contains('\n'));
        shape[5] = Flag(previous.Length > 0 && char.IsUpper(previous[0]));
        shape[6] = Flag(next.Length > 0 && char.IsUpper(next[0]));
        shape[7] = Flag(word.Any(c => c > 127 && char.IsLetter(c)));
        shape[8] = Flag(word.Skip(1).Any(char.IsUpper) && word.Any(char.IsLower));
        shape[9] = Flag(word.Length <= 3);
        shape[10] = Flag(next is "'" or "’");
        shape[11] = Flag(previous is "@" or "#");
        shape[12] = Flag(LegalForms.Contains(word));
        shape[13] = Flag(letters.Count > 0 && letters.All(char.IsLower));
    }

    private static string Word(WordStates states, int w) => states.Text[states.Words[w].Start..states.Words[w].End];

    private static float Flag(bool value) => value ? 1f : 0f;
}
