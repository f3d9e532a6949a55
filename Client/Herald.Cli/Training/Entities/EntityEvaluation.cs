using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Heads;

namespace Herald.Cli.Training.Entities;

/// <summary>What the entity and role heads get right on labelled examples, measured as the pipeline runs them.</summary>
internal static class EntityEvaluation
{
    public sealed record LabelScore(string Label, int Correct, int Predicted, int Expected)
    {
        public double Precision => Predicted == 0 ? 0 : (double)Correct / Predicted;
        public double Recall => Expected == 0 ? 0 : (double)Correct / Expected;
        public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    }

    /// <param name="Entities">Exact spans (start, end and label) per label.</param>
    /// <param name="RolesCorrect">Roles of the labelled mentions (given the labelled entities and event type).</param>
    /// <param name="SignalsRight">Items of a business event whose every party has its role, whose amount and title are right, all at once,
    /// from the recognised entities (given the event type).</param>
    public sealed record Result(IReadOnlyList<LabelScore> Entities, int RolesCorrect, int RolesTotal, int SignalsRight, int SignalsTotal, IReadOnlyList<string> SignalMisses,
        IReadOnlyList<string> EntityMisses)
    {
        public LabelScore Of(string label) => Entities.First(e => e.Label == label);
    }

    public static Result Run(EntityHead entityHead, RoleHead roleHead, IReadOnlyList<(EntityExample Example, WordStates States, int Offset)> items)
    {
        var counts = new[] { "ORG", "PER", EntityExample.TitleLabel }.ToDictionary(l => l, _ => (Correct: 0, Predicted: 0, Expected: 0));
        int rolesCorrect = 0, rolesTotal = 0, signalsRight = 0, signalsTotal = 0;
        var misses = new List<string>();
        var entityMisses = new List<string>();
        foreach (var (example, states, offset) in items)
        {
            var predicted = entityHead.Recognise(states, offset);
            var expected = example.JobTitle is null ? example.Mentions : [.. example.Mentions, example.JobTitle];
            foreach (var label in counts.Keys)
            {
                var p = predicted.Where(e => e.Label == label).Select(e => (e.Start, e.End)).ToHashSet();
                var x = expected.Where(e => e.Label == label).Select(e => (e.Start, e.End)).ToHashSet();
                var c = counts[label];
                counts[label] = (c.Correct + p.Intersect(x).Count(), c.Predicted + p.Count, c.Expected + x.Count);
                var where = example.Id.Length > 0 ? example.Id : Shorten(example.Text);
                entityMisses.AddRange(p.Except(x).Select(s => $"{where}: found {label} \"{example.Text[s.Start..s.End]}\" {Overlapping(x, s, example.Text)}"));
                entityMisses.AddRange(x.Except(p).Where(s => !p.Any(o => o.Start < s.End && s.Start < o.End)).Select(s => $"{where}: missed {label} \"{example.Text[s.Start..s.End]}\""));
            }

            var gold = roleHead.Assign(states, offset, example.Event, EntityHeads.Candidates(example.Text, example.Mentions.Select(m => (m.Label, m.Start, m.End))));
            foreach (var mention in example.Mentions)
            {
                rolesTotal++;
                if (gold.FirstOrDefault(r => r.Span.Start == mention.Start)?.Role == mention.Role) rolesCorrect++;
            }

            if (example.Event == "other") continue;
            signalsTotal++;
            var assigned = roleHead.Assign(states, offset, example.Event, EntityHeads.Candidates(example.Text, predicted.Select(e => (e.Label, e.Start, e.End))));
            var miss = SignalMiss(example, predicted, assigned);
            if (miss is null) signalsRight++;
            else misses.Add($"{(example.Id.Length > 0 ? example.Id : Shorten(example.Text))}: {miss}");
        }
        return new Result([.. counts.Select(c => new LabelScore(c.Key, c.Value.Correct, c.Value.Predicted, c.Value.Expected))], rolesCorrect, rolesTotal, signalsRight, signalsTotal, misses, entityMisses);
    }

    /// <summary>Why a signal is not right (the first thing wrong), or null when every part of it is.</summary>
    private static string? SignalMiss(EntityExample example, IReadOnlyList<Annotators.Onnx.TokenClassification.Entity> predicted, IReadOnlyList<RoledSpan> assigned)
    {
        var parties = assigned.Where(a => a.Span.Kind is SpanKind.Organization or SpanKind.Person && a.Role != SignalRoles.None)
            .GroupBy(a => a.Span.Text).ToDictionary(g => g.Key, g => g.First().Role);
        var expectedParties = example.Mentions.Where(m => m.Role != SignalRoles.None)
            .GroupBy(m => example.Text[m.Start..m.End]).ToDictionary(g => g.Key, g => g.First().Role);
        foreach (var (name, role) in expectedParties)
            if (parties.GetValueOrDefault(name) != role) return $"{name} should be {role}, is {parties.GetValueOrDefault(name) ?? "missing"}";
        foreach (var (name, role) in parties)
            if (!expectedParties.ContainsKey(name)) return $"{name} is {role} but should have no role";

        var amount = RoleHead.Amount(assigned);
        if (example.Amount is null != amount is null || (amount is not null && !SameAmount(example, amount)))
            return $"amount should be {(example.Amount is { } a ? example.Text[a.Start..a.End] : "none")}, is {amount?.Text ?? "none"}";

        var title = example.Event == "leadership_hire" ? RoleHead.Title(assigned) : null;
        if (example.JobTitle is { } t && !string.Equals(title?.Text, example.Text[t.Start..t.End], StringComparison.OrdinalIgnoreCase))
            return $"title should be {example.Text[t.Start..t.End]}, is {title?.Text ?? "none"}";
        return null;
    }

    /// <summary>The same amount: by value and currency when the label gives them (samples), else by place.</summary>
    private static bool SameAmount(EntityExample example, RoleCandidate amount)
    {
        var labelled = example.Amount!;
        if (labelled.Value is null) return labelled.Start < amount.End && amount.Start < labelled.End;
        var found = EntityHeads.Amounts(example.Text).FirstOrDefault(a => a.Start == amount.Start);
        return found.Currency == labelled.Currency && found.Amount == labelled.Value;
    }

    private static string Overlapping(HashSet<(int Start, int End)> expected, (int Start, int End) found, string text) =>
        expected.FirstOrDefault(e => e.Start < found.End && found.Start < e.End) is { End: > 0 } e ? $"(labelled \"{text[e.Start..e.End]}\")" : "(not labelled)";

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
