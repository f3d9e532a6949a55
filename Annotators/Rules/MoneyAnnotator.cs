using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Herald.Annotators.Rules;

/// <summary>
/// Finds money amounts in the document text ("$40M", "EUR 3.5 million", "12.5 million euros", "INR 400 crore",
/// "nine million dollars") and reports each with its value and ISO 4217 currency, plus the largest one.
/// </summary>
public sealed class MoneyAnnotator : IAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<MoneyOptions>(
        "money",
        "Money amounts in the text, with ISO 4217 currency and value (\"$40M\", \"EUR 3.5 million\", \"INR 400 crore\")",
        (options, _) => new MoneyAnnotator(options));

    // Written before the number. A bare "$" is read as USD and "¥" as JPY, as English business news means them;
    // other dollars need their prefix ("C$", "A$").
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["$"] = "USD", ["US$"] = "USD", ["C$"] = "CAD", ["CA$"] = "CAD", ["A$"] = "AUD", ["AU$"] = "AUD",
        ["NZ$"] = "NZD", ["HK$"] = "HKD", ["S$"] = "SGD", ["R$"] = "BRL", ["€"] = "EUR", ["£"] = "GBP",
        ["¥"] = "JPY", ["CN¥"] = "CNY", ["₹"] = "INR", ["Rs"] = "INR", ["Rs."] = "INR", ["₩"] = "KRW",
    };

    // Written before or after the number ("EUR 3.5 million", "3.5 million EUR"). RMB is not ISO but common for CNY.
    private static readonly Dictionary<string, string> Codes = new[]
        {
            "USD", "EUR", "GBP", "CHF", "JPY", "CNY", "INR", "CAD", "AUD", "NZD", "HKD", "SGD", "SEK", "NOK", "DKK",
            "KRW", "BRL", "ZAR", "MXN",
        }
        .Select(code => KeyValuePair.Create(code, code))
        .Append(KeyValuePair.Create("RMB", "CNY"))
        .ToDictionary(StringComparer.Ordinal);

    // Written after the number ("40 million dollars"), matched case-insensitively; not before a hyphen, where they
    // qualify a noun ("19 euro-zone countries").
    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dollars"] = "USD", ["dollar"] = "USD", ["US dollars"] = "USD", ["Canadian dollars"] = "CAD",
        ["Australian dollars"] = "AUD", ["Hong Kong dollars"] = "HKD", ["Singapore dollars"] = "SGD",
        ["euros"] = "EUR", ["euro"] = "EUR", ["pounds sterling"] = "GBP", ["pounds"] = "GBP", ["pound"] = "GBP",
        ["sterling"] = "GBP", ["yen"] = "JPY", ["Swiss francs"] = "CHF", ["yuan"] = "CNY", ["renminbi"] = "CNY",
        ["rupees"] = "INR",
    };

    private static readonly Dictionary<string, decimal> Multipliers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trillion"] = 1e12m, ["tn"] = 1e12m, ["lakh crore"] = 1e12m,
        ["billion"] = 1e9m, ["bn"] = 1e9m, ["b"] = 1e9m,
        ["million"] = 1e6m, ["mn"] = 1e6m, ["m"] = 1e6m, ["mm"] = 1e6m,
        ["crore"] = 1e7m, ["crores"] = 1e7m, ["cr"] = 1e7m,
        ["lakh"] = 1e5m, ["lakhs"] = 1e5m,
        ["thousand"] = 1e3m, ["k"] = 1e3m,
    };

    // Digits are capped (15 integer, 6 fractional) so that digits x multiplier always fits a decimal.
    // A number that opens a range ("$30-40 million") is skipped rather than misread as $30.
    private const string Number =
        @"(?<number>(?>\d{1,3}(?:,\d{3}){1,4}|\d{1,15})(?>\.\d{1,6})?)(?![.,]?\d)(?!\p{Zs}?[-–]\p{Zs}?\p{Sc}?\d)";

    // Optional. Words may stand apart ("40 million", "2.5-million"); single letters only attached ("40M", "750k").
    private const string OptionalMultiplier =
        @"(?:(?:[\p{Zs}-]?(?<multiplier>(?i:lakh\ crore|trillion|billion|million|thousand|crores?|lakhs?|bn|mn|tn|cr))|(?<multiplier>MM|mm|[kKmMbB]))(?!\p{L}))?";

    private static readonly Regex Pattern = new(
        $@"(?<![\p{{L}}\p{{N}}])(?<prefix>{Alternation(Symbols.Keys.Concat(Codes.Keys))})\p{{Zs}}?{Number}{OptionalMultiplier}(?![\p{{L}}\p{{N}}])"
        + $@"|(?<![\p{{L}}\p{{N}}.,]){Number}{OptionalMultiplier}\p{{Zs}}(?<suffix>{Alternation(Codes.Keys)}|(?i:{Alternation(Words.Keys)}))(?![\p{{L}}\p{{N}}-])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    // In words, with a scale and a currency word after it ("nine million dollars", "half a billion euros"): without the
    // scale, "two dollars" is not news.
    private static readonly Regex Spelled = new(
        $@"(?<![\p{{L}}\p{{N}}-])(?<words>(?i:{SpelledNumbers.Pattern}))\p{{Zs}}(?<multiplier>(?i:trillion|billion|million|thousand))\p{{Zs}}(?<suffix>{Alternation(Codes.Keys)}|(?i:{Alternation(Words.Keys)}))(?![\p{{L}}\p{{N}}-])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private readonly decimal _minAmount;

    public MoneyAnnotator(MoneyOptions options)
    {
        if (options.MinAmount < 0)
            throw new AnnotatorConfigurationException("option 'minAmount' must not be negative");
        _minAmount = options.MinAmount;
    }

    public ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var amounts = new List<MoneyAmount>();
        foreach (Match match in Pattern.Matches(input.Document.Text).Concat(Spelled.Matches(input.Document.Text)).OrderBy(m => m.Index))
        {
            var amount = Parse(match);
            if (amount.Amount >= _minAmount)
                amounts.Add(amount);
        }

        // Face values are compared as written: with no exchange rates, "largest" across currencies is approximate.
        var largest = amounts.Count == 0 ? null : amounts.MaxBy(a => a.Amount);
        var value = new JsonObject
        {
            ["amounts"] = new JsonArray(amounts.Select(a => (JsonNode)a.ToJson()).ToArray()),
            ["largest"] = largest?.ToJson(),
        };
        var spans = amounts.Select(a => new AnnotationSpan(a.Start, a.End, "MONEY", 1.0, a.Text)).ToList();
        return ValueTask.FromResult(new Annotation(value, spans));
    }

    private static MoneyAmount Parse(Match match)
    {
        var currency = match.Groups["prefix"] is { Success: true } prefix
            ? Symbols.GetValueOrDefault(prefix.Value) ?? Codes[prefix.Value]
            : Codes.GetValueOrDefault(match.Groups["suffix"].Value) ?? Words[match.Groups["suffix"].Value];
        var number = match.Groups["words"] is { Success: true } words
            ? SpelledNumbers.Parse(words.Value)
            : decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var multiplier = match.Groups["multiplier"] is { Success: true } m ? Multipliers[m.Value] : 1m;
        return new MoneyAmount(Normalize(number * multiplier), currency, match.Value, match.Index, match.Index + match.Length);
    }

    // 1.2m * 1e9m is 1200000000.0; dividing by 1 written with many zeros drops the trailing zeros from the scale,
    // so the JSON number reads 1200000000.
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    // Longest first, so that "US$" wins over "$" and "pounds sterling" over "pounds".
    private static string Alternation(IEnumerable<string> tokens) =>
        string.Join('|', tokens.OrderByDescending(t => t.Length).Select(Regex.Escape));

    private sealed record MoneyAmount(decimal Amount, string Currency, string Text, int Start, int End)
    {
        public JsonObject ToJson() => new()
        {
            ["amount"] = Amount,
            ["currency"] = Currency,
            ["text"] = Text,
            ["start"] = Start,
            ["end"] = End,
        };
    }
}
