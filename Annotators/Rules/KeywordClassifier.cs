using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Herald.Annotators.Rules;

/// <summary>
/// A cheap rule classifier: each label lists phrases, and the label with the most distinct phrases found wins.
/// </summary>
public sealed class KeywordClassifier : IAnnotator
{
    public const string TextOnly = "text";
    public const string TitleAndText = "title+text";

    public static AnnotatorKind Kind { get; } = new AnnotatorKind<KeywordClassifierOptions>(
        "keywords",
        "Rule classifier: the label whose phrases (\"acquir*\", \"merger\") occur most often, by distinct phrase",
        (options, _) => new KeywordClassifier(options));

    private readonly LabelRule[] _labels;
    private readonly string _defaultLabel;
    private readonly bool _includeTitle;

    public KeywordClassifier(KeywordClassifierOptions options)
    {
        // Binding can leave nulls where the options say "labels: ~"; they are configuration errors, not crashes.
        if (options.Labels is not { Count: > 0 })
            throw new AnnotatorConfigurationException("option 'labels' must name at least one label");
        if (string.IsNullOrWhiteSpace(options.DefaultLabel))
            throw new AnnotatorConfigurationException("option 'defaultLabel' must not be empty");
        _includeTitle = options.Field switch
        {
            TitleAndText => true,
            TextOnly => false,
            _ => throw new AnnotatorConfigurationException($"option 'field' must be '{TextOnly}' or '{TitleAndText}', not '{options.Field}'"),
        };
        _defaultLabel = options.DefaultLabel;
        _labels = options.Labels.Select(entry => new LabelRule(entry.Key, Phrases(entry.Key, entry.Value))).ToArray();
    }

    public ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var document = input.Document;
        var title = _includeTitle ? document.Title : null;

        var matches = new JsonObject();
        var (bestLabel, bestHits, totalHits) = (_defaultLabel, 0, 0);
        foreach (var label in _labels)
        {
            var found = label.Phrases
                .Where(p => p.Pattern.IsMatch(document.Text) || (title is not null && p.Pattern.IsMatch(title)))
                .Select(p => p.Phrase)
                .ToArray();
            if (found.Length == 0)
                continue;

            matches[label.Name] = new JsonArray(found.Select(p => (JsonNode)p).ToArray());
            totalHits += found.Length;
            // Strictly more: on a tie the label declared first keeps the lead.
            if (found.Length > bestHits)
                (bestLabel, bestHits) = (label.Name, found.Length);
        }

        return ValueTask.FromResult(Annotation.Of(new JsonObject
        {
            ["label"] = bestLabel,
            ["score"] = totalHits == 0 ? 0.0 : (double)bestHits / totalHits,
            ["matches"] = matches,
        }));
    }

    private static PhraseRule[] Phrases(string label, string?[]? phrases)
    {
        if (phrases is not { Length: > 0 })
            throw new AnnotatorConfigurationException($"option 'labels.{label}' must list at least one phrase");
        // Phrases repeated within a label would count twice towards it.
        return phrases
            .Select(phrase => phrase?.Trim() ?? "")
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(phrase => new PhraseRule(phrase, Compile(label, phrase)))
            .ToArray();
    }

    private static Regex Compile(string label, string phrase)
    {
        var wildcard = phrase.EndsWith('*');
        var words = phrase.TrimEnd('*').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            throw new AnnotatorConfigurationException($"option 'labels.{label}' has an empty phrase");
        if (words.Any(w => w.Contains('*')))
            throw new AnnotatorConfigurationException($"option 'labels.{label}': '*' may only end a phrase, as in 'acquir*' (got '{phrase}')");

        // Lookarounds rather than \b, so phrases that start or end with punctuation ("M&A", "U.S.") still match whole.
        var body = string.Join(@"\s+", words.Select(Regex.Escape)) + (wildcard ? @"\w*" : "");
        return new Regex($@"(?<!\w){body}(?!\w)", RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private sealed record PhraseRule(string Phrase, Regex Pattern);

    private sealed record LabelRule(string Name, PhraseRule[] Phrases);
}
