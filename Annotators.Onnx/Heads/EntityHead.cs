using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.TokenClassification;

namespace Herald.Annotators.Onnx.Heads;

/// <summary>
/// Companies, people and the appointee's job title from the encoder's word states: an ONNX head scores each word's
/// <see cref="WordFeatures"/> over BIO labels (O, B-ORG, I-ORG, B-PER, I-PER, B-TITLE, I-TITLE). The labels are decoded
/// together (Viterbi: the likeliest sequence in which I-X only follows B-X or I-X), so a name is not cut in two where
/// one word alone looks like something else; a hyphen joins ("Okafor-Penn") and a legal form keeps its full stop ("Inc.").
/// </summary>
internal sealed class EntityHead(ClassificationHead head)
{
    private static readonly HashSet<string> DottedForms = new(StringComparer.OrdinalIgnoreCase)
    {
        "Inc", "Corp", "Ltd", "Co", "Bhd", "Pte", "Pty", "Ltda", "Lda", "Cie", "Srl", "Kft", "Jr", "Sr", "Bros",
    };

    public ClassificationHead Model => head;

    /// <param name="offset">Where the document's text starts in the encoded text (after "title. "): spans are returned in
    /// the text's offsets, and words before it (the title's) are not reported.</param>
    public IReadOnlyList<Entity> Recognise(WordStates states, int offset, double minScore = 0)
    {
        if (states.Words.Length == 0) return [];
        var scores = head.Score(WordFeatures.Of(states));
        var path = Viterbi(scores);
        JoinHyphens(states, path);
        var labels = path.Select((label, w) => (head.Labels[label], (double)scores[w][label])).ToList();
        var entities = BioDecoder.Decode(states.Text, states.Words, labels, minScore)
            .Select(e => e.Label == "TITLE" ? WholeTitle(states, e) : Tidy(states, e))
            .Where(e => e is not null && (e.Label == "TITLE" || e.Text.Any(char.IsUpper) || e.Text.Any(char.IsDigit)))
            // A hashtag is a topic ("#MandA", "#GullsHockey"), not a mention of a name: neither labelled data set counts one.
            .Where(e => e!.Start == 0 || states.Text[e.Start - 1] != '#')
            .Select(e => WithFullStop(states.Text, e!))
            .Select(e => e.Label == "PER" && WordFeatures.IsCompanyWord(ShortForms.Words(e.Text)[^1]) ? AsCompany(states, e) : e)
            .ToList();
        return [.. LoneNamesAsCompanies(states, ShortFormsLabelled(entities).ToList())
            .Where(e => e.Start >= offset)
            .Select(e => e with { Start = e.Start - offset, End = e.End - offset, Score = Math.Round(e.Score, 4) })];
    }

    /// <summary>
    /// A later short form is the name it shortens: "Raman" after "Priya Raman" a person, "Quillmark" after "Quillmark
    /// Labs" a company, whatever its own words suggested on their own.
    /// </summary>
    private static IEnumerable<Entity> ShortFormsLabelled(List<Entity> entities) => entities.Select((e, i) =>
    {
        if (e.Label == "TITLE" || ShortForms.Words(e.Text).Length > 1) return e;
        var full = entities.Take(i).LastOrDefault(f => f.Label is "ORG" or "PER" && ShortForms.Shortens(e.Text, f.Text, f.Label == "PER"));
        return full is null || full.Label == e.Label ? e : e with { Label = full.Label };
    });

    /// <summary>
    /// News introduces a person by a full name: a one-word "person" that is no word of a full name in the document ("Quillmark
    /// has hired...", "platform Tessaline appointed...") is a company the head took for a surname. Two of the training data's
    /// 2,042 people are named by one word alone. (No surname is "Holdings" or "Groep" either: such "people" became companies
    /// before their short forms took their labels.)
    /// </summary>
    private static IEnumerable<Entity> LoneNamesAsCompanies(WordStates states, List<Entity> entities) => entities.Select(e =>
        e.Label != "PER" || ShortForms.Words(e.Text).Length > 1 || entities.Any(f => f.Label == "PER"
            && ShortForms.Words(f.Text) is { Length: > 1 } names && names.Contains(e.Text, StringComparer.Ordinal))
            ? e : AsCompany(states, e));

    /// <summary>A span the head took for a person, as a company: with the legal form after it and its full stop ("Quillmark Inc.").</summary>
    private static Entity AsCompany(WordStates states, Entity person)
    {
        var company = person with { Label = "ORG" };
        return WithFullStop(states.Text, Tidy(states, company) ?? company);
    }

    /// <summary>The likeliest label sequence (by summed log probability) in which every I-X follows a B-X or I-X.</summary>
    private int[] Viterbi(float[][] scores)
    {
        var labels = head.Labels;
        var (words, count) = (scores.Length, labels.Length);
        var best = new double[words, count];
        var back = new int[words, count];
        for (var l = 0; l < count; l++) best[0, l] = IsInside(labels[l]) ? double.NegativeInfinity : Math.Log(scores[0][l] + 1e-12);
        for (var w = 1; w < words; w++)
        {
            for (var l = 0; l < count; l++)
            {
                var (value, from) = (double.NegativeInfinity, 0);
                for (var p = 0; p < count; p++)
                {
                    if (IsInside(labels[l]) && labels[p][1..] != labels[l][1..]) continue;
                    if (best[w - 1, p] > value) (value, from) = (best[w - 1, p], p);
                }
                best[w, l] = value + Math.Log(scores[w][l] + 1e-12);
                back[w, l] = from;
            }
        }
        var path = new int[words];
        path[^1] = Enumerable.Range(0, count).MaxBy(l => best[words - 1, l]);
        for (var w = words - 1; w > 0; w--) path[w - 1] = back[w, path[w]];
        return path;
    }

    /// <summary>"Albright-Soh": a hyphen with no space either side inside a name continues it, whatever the words after it were given.</summary>
    private void JoinHyphens(WordStates states, int[] path)
    {
        for (var w = 1; w + 1 < path.Length; w++)
        {
            var (previous, hyphen, next) = (states.Words[w - 1], states.Words[w], states.Words[w + 1]);
            if (states.Text[hyphen.Start..hyphen.End] is not ("-" or "‐") || previous.End != hyphen.Start || hyphen.End != next.Start) continue;
            var label = head.Labels[path[w - 1]];
            if (label == "O") continue;
            var inside = Array.IndexOf(head.Labels, "I-" + label[2..]);
            if (inside < 0) continue;
            path[w] = inside;
            if (head.Labels[path[w + 1]] == "O" || head.Labels[path[w + 1]].StartsWith("B-", StringComparison.Ordinal)) path[w + 1] = inside;
        }
    }

    private static readonly HashSet<string> LegalForms = new(StringComparer.Ordinal)
    {
        "Inc", "Corp", "Ltd", "LLC", "LLP", "LP", "plc", "PLC", "GmbH", "AG", "SE", "SA", "SAS", "NV", "BV", "Oy", "AB", "ASA", "KK", "Pty", "Pte", "Bhd", "Ltda", "SpA", "Srl",
    };

    private static readonly HashSet<string> TitleWords = new(StringComparer.Ordinal)
    {
        "CEO", "CFO", "COO", "CTO", "CMO", "CIO", "CRO", "CPO", "VP", "SVP", "EVP", "Chair", "Chairman", "Chief", "Exec", "Dr", "Mr", "Ms", "Mrs", "Prof",
    };

    /// <summary>
    /// A company or person's edges as news writes names: no stray punctuation at either end, no title glued to a
    /// person ("COO Benedict Armitage-Rowe"), and a company's legal form that follows it included ("Brightkeel Robotics Inc.").
    /// </summary>
    private static Entity? Tidy(WordStates states, Entity entity)
    {
        var first = Array.FindIndex(states.Words, w => w.Start == entity.Start);
        var last = Array.FindIndex(states.Words, w => w.End == entity.End);
        if (first < 0 || last < first) return entity;
        string Word(int w) => states.Text[states.Words[w].Start..states.Words[w].End];
        bool Stray(int w) => !Word(w).Any(char.IsLetterOrDigit) && Word(w) is not "&";
        bool Title(int w) => entity.Label == "PER" && TitleWords.Contains(Word(w));
        while (first <= last && (Stray(first) || Title(first))) first++;
        while (last >= first && ((Stray(last) && Word(last) != ".") || Title(last))) last--;
        if (last < first) return null;
        if (entity.Label == "ORG" && last + 1 < states.Words.Length && LegalForms.Contains(Word(last + 1))
            && states.Text.AsSpan(states.Words[last].End, states.Words[last + 1].Start - states.Words[last].End) is " ")
            last++;
        var (start, end) = (states.Words[first].Start, states.Words[last].End);
        return start == entity.Start && end == entity.End ? entity : entity with { Text = states.Text[start..end], Start = start, End = end };
    }

    /// <summary>"Marigold Foods Inc." keeps its full stop: the abbreviation's, even when it also ends the sentence.</summary>
    private static Entity WithFullStop(string text, Entity entity)
    {
        var last = entity.Text.Split(' ', '\u00A0')[^1];
        return entity.End < text.Length && text[entity.End] == '.' && entity.Label == "ORG" && DottedForms.Contains(last)
            ? entity with { Text = entity.Text + ".", End = entity.End + 1 }
            : entity;
    }

    private static readonly HashSet<string> TitleEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "officer", "executive", "director", "president", "chair", "chairman", "chairwoman", "chairperson", "counsel", "manager",
        "secretary", "treasurer", "partner", "lead", "head", "générale", "général",
    };

    /// <summary>
    /// "chief financial" is not a title: a title the head stopped short of its last word ("officer", "director") or of
    /// "of its board" takes them.
    /// </summary>
    private static Entity WholeTitle(WordStates states, Entity title)
    {
        var next = Array.FindIndex(states.Words, w => w.End == title.End) + 1;
        if (next <= 0) return title;
        var end = title.End;
        string? Word(int w) => w < states.Words.Length && states.Text.AsSpan(states.Words[w - 1].End, states.Words[w].Start - states.Words[w - 1].End) is " "
            ? states.Text[states.Words[w].Start..states.Words[w].End] : null;
        while (Word(next) is { } word && TitleEnds.Contains(word)) end = states.Words[next++].End;
        var tail = title.Text.Split(' ');
        string?[] after = [Word(next), Word(next + 1), Word(next + 2)];
        var board = tail[^1] is "its" or "the" && tail.Length > 1 && tail[^2] == "of" ? 0
            : tail[^1] == "of" && after[0] is "its" or "the" ? 1
            : after[0] == "of" && after[1] is "its" or "the" ? 2 : -1;
        if (board >= 0 && after[board] == "board") end = states.Words[next + board].End;
        return end == title.End ? title : title with { Text = states.Text[title.Start..end], End = end };
    }

    private static bool IsInside(string label) => label.StartsWith("I-", StringComparison.Ordinal);
}
