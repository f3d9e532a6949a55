using Herald.Annotators.Onnx.Embeddings;

namespace Herald.Annotators.Onnx.Heads;

/// <summary>What a span is, for the role head: a company, a person, an amount of money, or a job title.</summary>
internal enum SpanKind { Organization, Person, Money, JobTitle }

/// <summary>
/// What the role head sees of one span (a company, a person or an amount): the mean state of its words, of the three
/// words before and after it, the states of the words right next to it, its kind, the event type, where it stands among
/// the spans of its kind, and the role the word rules (<c>PartyRoles</c>) would give it, as one more opinion.
/// </summary>
internal static class SpanFeatures
{
    public static readonly string[] EventTypes = ["funding_round", "acquisition", "leadership_hire", "other"];

    private const int Context = 3;

    private static readonly string[] RuleRoles = [.. SignalRoles.Labels.Take(8)];

    public static int Width(int dimensions) => 5 * dimensions + Kinds + EventTypes.Length + 3 + RuleRoles.Length + 1;

    private const int Kinds = 4;

    /// <summary>The first and last word inside [start, end) (UTF-16 offsets in the encoded text), or null when none is.</summary>
    public static (int First, int Last)? WordsIn(WordStates states, int start, int end)
    {
        int first = -1, last = -1;
        for (var w = 0; w < states.Words.Length; w++)
        {
            var (s, e) = states.Words[w];
            if (s >= end) break;
            if (e <= start) continue;
            if (first < 0) first = w;
            last = w;
        }
        return first < 0 ? null : (first, last);
    }

    /// <param name="order">This span's place among the spans of its kind in the text (0 first), and how many there are.</param>
    /// <param name="ruleRole">The word rules' role for it (null: none, or not a party).</param>
    /// <param name="textStart">The first word of the document's text (after its title): context does not reach back into the title,
    /// whose words ("Halberd to buy Kitehawk.") would read as this sentence's.</param>
    public static float[] Of(WordStates states, (int First, int Last) words, SpanKind kind, string? eventType, (int Index, int Count) order, string? ruleRole, int textStart = 0)
    {
        var d = states.Dimensions;
        var row = new float[Width(d)];
        Mean(states, words.First, words.Last, row.AsSpan(0, d));
        Mean(states, Math.Max(textStart, words.First - Context), words.First - 1, row.AsSpan(d, d));
        Mean(states, words.Last + 1, Math.Min(states.Words.Length - 1, words.Last + Context), row.AsSpan(2 * d, d));
        if (words.First > textStart) states.Of(words.First - 1).CopyTo(row.AsSpan(3 * d));
        if (words.Last + 1 < states.Words.Length) states.Of(words.Last + 1).CopyTo(row.AsSpan(4 * d));
        var rest = row.AsSpan(5 * d);
        rest[(int)kind] = 1;
        var type = Array.IndexOf(EventTypes, eventType);
        if (type >= 0) rest[Kinds + type] = 1;
        var offset = textStart < states.Words.Length ? states.Words[textStart].Start : 0;
        rest[Kinds + EventTypes.Length] = (float)(states.Words[words.First].Start - offset) / Math.Max(1, states.Text.Length - offset);
        rest[Kinds + 1 + EventTypes.Length] = order.Index == 0 ? 1 : 0;
        rest[Kinds + 2 + EventTypes.Length] = order.Count <= 1 ? 0 : (float)order.Index / (order.Count - 1);
        var rule = Array.IndexOf(RuleRoles, ruleRole);
        rest[Kinds + 3 + EventTypes.Length + (rule >= 0 ? rule : RuleRoles.Length)] = 1;
        return row;
    }

    private static void Mean(WordStates states, int first, int last, Span<float> into)
    {
        if (last < first) return;
        for (var w = first; w <= last; w++)
        {
            var state = states.Of(w);
            for (var i = 0; i < into.Length; i++) into[i] += state[i];
        }
        for (var i = 0; i < into.Length; i++) into[i] /= last - first + 1;
    }
}
