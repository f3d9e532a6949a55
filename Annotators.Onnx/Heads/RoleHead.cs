using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Embeddings;

namespace Herald.Annotators.Onnx.Heads;

/// <summary>A span for the role head, in the document text's offsets.</summary>
internal sealed record RoleCandidate(SpanKind Kind, string Text, int Start, int End)
{
    /// <summary>
    /// The spans the role head looks at, in text order, the same in training and serving: the companies and people
    /// among the entities, the amounts the money rules found, and the job titles in the text. Spans outside it are dropped.
    /// </summary>
    public static List<RoleCandidate> Of(string text, IEnumerable<(string? Label, int Start, int End)> entities, IEnumerable<(int Start, int End)> amounts) =>
    [
        .. entities.Where(e => e.Label is "ORG" or "PER").Select(e => (Kind: e.Label == "ORG" ? SpanKind.Organization : SpanKind.Person, e.Start, e.End))
            .Concat(amounts.Select(a => (Kind: SpanKind.Money, a.Start, a.End)))
            .Concat(JobTitles.Find(text).Select(t => (Kind: SpanKind.JobTitle, t.Start, t.End)))
            .Where(c => c.Start >= 0 && c.End <= text.Length && c.Start < c.End)
            .OrderBy(c => c.Start)
            .Select(c => new RoleCandidate(c.Kind, text[c.Start..c.End], c.Start, c.End)),
    ];
}

/// <summary>A span with the role the head gave it (among those its kind and the event allow) and that role's probability.</summary>
internal sealed record RoledSpan(RoleCandidate Span, string Role, double Score);

/// <summary>
/// Roles of a signal's parties and which amount is the event's: an ONNX head scores each span's
/// <see cref="SpanFeatures"/> over <see cref="SignalRoles.Labels"/>; each span takes the likeliest label its kind and
/// the event type allow. A party mentioned several times takes the role its mentions agree on most.
/// </summary>
internal sealed class RoleHead(ClassificationHead head)
{
    public ClassificationHead Model => head;

    public IReadOnlyList<RoledSpan> Assign(WordStates states, int offset, string? eventType, IReadOnlyList<RoleCandidate> candidates)
    {
        var placed = candidates.Select(c => (Candidate: c, Words: SpanFeatures.WordsIn(states, c.Start + offset, c.End + offset)))
            .Where(c => c.Words is not null).ToList();
        if (placed.Count == 0) return [];
        var ruleRoles = RuleRoles(states.Text[offset..], eventType, candidates);
        var textStart = Array.FindIndex(states.Words, w => w.Start >= offset);
        var rows = placed.Select(c =>
        {
            var sameKind = placed.Where(o => o.Candidate.Kind == c.Candidate.Kind).ToList();
            return SpanFeatures.Of(states, c.Words!.Value, c.Candidate.Kind, eventType, (sameKind.IndexOf(c), sameKind.Count), ruleRoles.GetValueOrDefault(c.Candidate.Start), Math.Max(0, textStart));
        }).ToList();
        var scores = head.Score(rows);
        // Mentions of one party vote together, their probabilities averaged per label: the same name, or a short form of
        // an earlier name ("Falkenrath" for "Falkenrath Mikrosysteme GmbH", "Raman" for "Priya Raman"), which often
        // stands in a sentence about something else.
        var keys = placed.Select(c => PartyKey(c.Candidate, candidates)).ToList();
        var votes = keys.Select((key, i) => (key, i)).GroupBy(k => k.key).ToDictionary(g => g.Key, g =>
        {
            var mean = new float[head.Labels.Length];
            foreach (var (_, i) in g)
                for (var l = 0; l < mean.Length; l++) mean[l] += scores[i][l] / g.Count();
            return mean;
        });
        var kinds = placed.Select((c, i) => (Key: keys[i], c.Candidate.Kind)).Distinct().ToDictionary(k => k.Key, k => k.Kind);
        var roles = votes.ToDictionary(v => v.Key, v => SignalRoles.Allowed(kinds[v.Key], eventType).MaxBy(label => Probability(v.Value, label))!);
        Complete(roles, votes, kinds, eventType);
        return [.. placed.Select((c, i) =>
        {
            var probabilities = votes[keys[i]];
            var role = roles[keys[i]];
            var total = SignalRoles.Allowed(c.Candidate.Kind, eventType).Sum(label => Probability(probabilities, label));
            return new RoledSpan(c.Candidate, role, Math.Round(total > 0 ? Probability(probabilities, role) / total : 0, 4));
        })];
    }

    /// <summary>
    /// A deal has both sides and a hire an appointee: when every party of a deal was given one side ("acquirer" twice),
    /// or a hire's people none the appointee, the party likeliest to be the missing one takes it. The head scores
    /// parties one at a time; this is the one thing it cannot see.
    /// </summary>
    private void Complete(Dictionary<string, string> roles, Dictionary<string, float[]> votes, Dictionary<string, SpanKind> kinds, string? eventType)
    {
        var parties = roles.Keys.Where(k => kinds[k] is SpanKind.Organization or SpanKind.Person).ToList();
        void Ensure(string missing, string from, Func<string, bool> eligible)
        {
            var pool = parties.Where(eligible).ToList();
            if (pool.Any(k => roles[k] == missing)) return;
            // A deal's side is taken only from a party whose side another party keeps ("acquirer" twice: one becomes target).
            var donors = pool.Where(k => roles[k] == from).ToList();
            if (donors.Count < (from == SignalRoles.None ? 1 : 2)) return;
            roles[donors.MaxBy(k => Probability(votes[k], missing))!] = missing;
        }
        switch (eventType)
        {
            case "acquisition":
                Ensure("target", "acquirer", _ => true);
                Ensure("acquirer", "target", _ => true);
                break;
            case "funding_round":
                Ensure("investee", "investor", _ => true);
                break;
            case "leadership_hire":
                Ensure("appointee", SignalRoles.None, k => kinds[k] == SpanKind.Person);
                break;
        }
    }

    /// <summary>
    /// The appointee's title: the title most likely to be it, even when no title was likelier it than another (a hire
    /// nearly always names one; the head only ranks them).
    /// </summary>
    public static RoleCandidate? Title(IReadOnlyList<RoledSpan> assigned) => assigned
        .Where(a => a.Span.Kind == SpanKind.JobTitle && SignalRoles.Allowed(SpanKind.JobTitle, "leadership_hire").Length == 2)
        .MaxBy(a => a.Role == SignalRoles.Title ? a.Score : 1 - a.Score)?.Span;

    /// <summary>
    /// The amount the event is about: the amount likeliest to be it, when that is at least <see cref="AmountFloor"/>
    /// likely (a deal may state only a valuation, or nothing; a round whose only amount is ranked a little below even is
    /// still usually its own).
    /// </summary>
    public static RoleCandidate? Amount(IReadOnlyList<RoledSpan> assigned) => assigned
        .Where(a => a.Span.Kind == SpanKind.Money)
        .Select(a => (a.Span, Probability: a.Role == SignalRoles.Amount ? a.Score : 1 - a.Score))
        .Where(a => a.Probability >= AmountFloor)
        .OrderByDescending(a => a.Probability).Select(a => a.Span).FirstOrDefault();

    private const double AmountFloor = 0.25;

    /// <summary>Which party a mention is: an amount is itself; a name is the longest name it is a short form of (<see cref="ShortForms"/>).</summary>
    private static string PartyKey(RoleCandidate mention, IReadOnlyList<RoleCandidate> all)
    {
        if (mention.Kind is SpanKind.Money or SpanKind.JobTitle) return $"{mention.Kind}@{mention.Start}";
        var full = all.Where(o => o.Kind == mention.Kind && ShortForms.Shortens(mention.Text, o.Text, mention.Kind == SpanKind.Person))
            .MaxBy(o => o.Text.Length);
        return $"{mention.Kind}:{full?.Text ?? mention.Text}";
    }

    /// <summary>The word rules' role of each party, by its start: a feature of the head, not its answer.</summary>
    public static Dictionary<int, string?> RuleRoles(string text, string? eventType, IEnumerable<RoleCandidate> candidates) =>
        Herald.Annotators.Rules.PartyRoles.Assign(text, eventType, candidates.Where(c => c.Kind is SpanKind.Organization or SpanKind.Person)
                .Select(c => (c.Text, c.Kind == SpanKind.Person ? "PER" : "ORG", c.Start, c.End)))
            .GroupBy(p => p.Start).ToDictionary(g => g.Key, g => g.First().Role);

    private double Probability(float[] probabilities, string label) => Array.IndexOf(head.Labels, label) is var i and >= 0 ? probabilities[i] : 0;
}
