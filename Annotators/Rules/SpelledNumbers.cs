namespace Herald.Annotators.Rules;

/// <summary>Numbers written in words, as news writes amounts ("nine", "twenty-five", "two hundred", "half a", "a").</summary>
internal static class SpelledNumbers
{
    private static readonly string[] Units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    private static readonly string[] Teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
    private static readonly string[] Tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    /// <summary>A regular expression alternation for a number below 1,000 in words (case-insensitive where it is used).</summary>
    public static string Pattern { get; } =
        $@"(?:(?:{string.Join('|', Units)})\p{{Zs}}hundred(?:\p{{Zs}}(?:and\p{{Zs}})?(?:{Below100}))?|{Below100}|half\p{{Zs}}an?|an?)";

    private static string Below100 => $@"(?:{string.Join('|', Tens)})(?:[-\p{{Zs}}](?:{string.Join('|', Units)}))?|{string.Join('|', Teens)}|{string.Join('|', Units)}";

    /// <summary>The value of a number <see cref="Pattern"/> matched.</summary>
    public static decimal Parse(string words)
    {
        var parts = words.ToLowerInvariant().Split([' ', '-', '\u00A0'], StringSplitOptions.RemoveEmptyEntries).Where(p => p != "and").ToList();
        if (parts is ["half", _]) return 0.5m;
        if (parts is ["a" or "an"]) return 1;
        decimal value = 0;
        foreach (var part in parts)
        {
            if (part == "hundred") value *= 100;
            else if (Array.IndexOf(Units, part) is var u and >= 0) value += u + 1;
            else if (Array.IndexOf(Teens, part) is var t and >= 0) value += t + 10;
            else if (Array.IndexOf(Tens, part) is var n and >= 0) value += (n + 2) * 10;
        }
        return value;
    }
}
