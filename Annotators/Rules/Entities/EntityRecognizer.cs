using System.Text.Json.Nodes;
using static Herald.Annotators.Rules.Entities.EntityLexicon;

namespace Herald.Annotators.Rules.Entities;

/// <summary>
/// Organisations (ORG) and people (PER) in news text, by rules and gazetteers: capitalised runs of words are
/// candidates, and what surrounds them decides: a legal form or company head word ("Inc.", "Ventures"), an
/// honorific, a job title next to it, the verbs of hiring, buying and raising. Later mentions of a found name
/// ("Bream", "Skyloom") take its label. Output has the same shape as <c>onnx-token-classifier</c>'s, so the two
/// are interchangeable: <c>{"entities": [{"text", "label", "start", "end", "score"}]}</c> plus one span per entity.
/// </summary>
public sealed class EntityRecognizer : IAnnotator
{
    public const string Organisation = "ORG";
    public const string Person = "PER";

    public static AnnotatorKind Kind { get; } = new AnnotatorKind<EntityOptions>(
        "entities", "Rule and gazetteer recogniser of organisations (ORG) and people (PER) in news text",
        (options, _) => new EntityRecognizer(options));

    private readonly EntityOptions _options;

    public EntityRecognizer(EntityOptions options)
    {
        if (options.MaxCharacters < 100) throw new AnnotatorConfigurationException($"option 'maxCharacters' must be at least 100, not {options.MaxCharacters}");
        if (options.MinScore is < 0 or > 1)
            throw new AnnotatorConfigurationException($"option 'minScore' must be between 0 and 1, not {options.MinScore}");
        _options = options;
    }

    public ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var text = input.Document.Text;
        var entities = Recognise(text.Length > _options.MaxCharacters ? text[.._options.MaxCharacters] : text);
        var spans = entities.Select(e => new AnnotationSpan(e.Start, e.End, e.Label!, Math.Round(e.Score, 3), e.Text)).ToList();
        var list = new JsonArray(spans.Select(s => (JsonNode)new JsonObject
        {
            ["text"] = s.Text, ["label"] = s.Label, ["start"] = s.Start, ["end"] = s.End, ["score"] = s.Score,
        }).ToArray());
        return ValueTask.FromResult(new Annotation(new JsonObject { ["entities"] = list }, spans));
    }

    internal IReadOnlyList<NameSpan> Recognise(string text)
    {
        var tokens = WordTokens.Of(text);
        var candidates = Candidates(tokens, text);
        foreach (var span in candidates)
            ClassifyByGazetteer(span);
        foreach (var span in candidates)
            new SpanContext(span, tokens).ClassifyByContext();
        ClassifyRepeatedMentions(candidates);
        return candidates.Where(s => s.Label is not null && s.Score >= _options.MinScore).ToList();
    }

    private void ClassifyByGazetteer(NameSpan span)
    {
        if (_options.Organizations.Contains(span.Text)) span.Classify(Organisation, 1.0);
        else if (_options.People.Contains(span.Text)) span.Classify(Person, 1.0);
    }

    /// <summary>Maximal runs of capitalised words, joined by "&amp;" or "of"/"de"/"van", without leading function words or places.</summary>
    private static List<NameSpan> Candidates(IReadOnlyList<WordToken> tokens, string text)
    {
        var spans = new List<NameSpan>();
        var i = 0;
        while (i < tokens.Count)
        {
            if (!IsNameWord(tokens[i]) || (tokens[i].StartsSentence && LeadingWords.Contains(tokens[i].Text)))
            {
                i++;
                continue;
            }
            var last = i;
            while (last + 1 < tokens.Count && !tokens[last + 1].StartsSentence)
            {
                if (IsNameWord(tokens[last + 1])) last++;
                else if (last + 2 < tokens.Count && IsJoiner(tokens[last + 1]) && IsNameWord(tokens[last + 2])) last += 2;
                else break;
            }
            var words = Enumerable.Range(i, last - i + 1).Select(k => tokens[k].Text).ToList();
            var isTitle = words.All(w => TitleWords.Contains(w) || TitleModifiers.Contains(w));
            var isBareHead = words.Count == 1 && OrganisationHeads.Contains(words[0]); // "Construction is expected", "Management said"
            if (!isTitle && !isBareHead && !words.All(Places.Contains))
                spans.Add(new NameSpan(i, last, tokens, text));
            i = last + 1;
        }
        return spans;
    }

    private static bool IsNameWord(WordToken token) =>
        token.IsCapitalised && !NeverNames.Contains(token.Text) && !TitlesEndingNames.Contains(token.Text) && !Honorifics.Contains(token.Text);

    private static bool IsJoiner(WordToken token) => token.Text is "&" or "of" or "de" or "van" or "von" or "der" or "du" or "da" or "y";

    /// <summary>
    /// A later mention of a name takes its label: a person's surname ("Bream"), a company's leading words
    /// ("Skyloom" for "Skyloom Aero", "Gannet Ridge" for "Gannet Ridge Partners").
    /// </summary>
    private static void ClassifyRepeatedMentions(List<NameSpan> spans)
    {
        var known = spans.Where(s => s.Label is not null).ToList();
        foreach (var span in spans.Where(s => s.Label is null))
        {
            var words = span.Words.ToArray();
            foreach (var name in known)
            {
                var nameWords = name.Words.ToArray();
                var same = words.SequenceEqual(nameWords);
                var isSurname = name.Label == Person && words.Length < nameWords.Length && nameWords[^words.Length..].SequenceEqual(words);
                var isShortName = name.Label == Organisation && words.Length < nameWords.Length && nameWords[..words.Length].SequenceEqual(words)
                    && words[0].Length > 3;
                if (same || isSurname || isShortName)
                {
                    span.Classify(name.Label!, Math.Min(name.Score, 0.8));
                    break;
                }
            }
        }
    }
}
