using Herald.Annotators.Rules.Entities;

namespace Herald.Annotators.Rules;

/// <summary>A company or person found by an entity annotator, with the role it plays in the signal when the words around it say.</summary>
public sealed record Party(string Name, string Label, int Start, int End, string? Role, string? Title);

/// <summary>
/// Gives entities their roles in a signal from the words around them: acquirer and target, investor and investee,
/// employer, former employer, appointee (with the title) and predecessor. Works on any entity annotator's output
/// (rules or a token classifier), so roles do not depend on which one a pipeline uses.
/// </summary>
public static class PartyRoles
{
    private static readonly string[] AcquiringAfter = ["acquire", "acquires", "acquired", "acquiring", "buy", "buys", "bought", "snaps", "snapped",
        "scoops", "purchase", "purchases", "purchased", "swallows", "takeover", "absorb", "absorbs", "bid", "offer"];
    private static readonly string[] TargetAfter = ["acquire", "acquires", "acquired", "acquiring", "buy", "buys", "bought", "buying", "purchase",
        "absorb", "absorbs", "swallows"];
    private static readonly string[] InvestorBefore = ["by", "from", "investors", "investor", "including", "backers"];
    private static readonly string[] InvestorAfter = ["led", "co-led", "lead", "participated", "invested", "backed", "joined", "also", "put"];
    private static readonly string[] FormerBefore = ["previously", "formerly", "former", "poaching", "rival", "ex", "left", "from"];
    private static readonly string[] PredecessorBefore = ["replacing", "replaces", "replaced", "succeeding", "succeeds", "succeeded"];
    private static readonly string[] PredecessorAfter = ["retires", "retiring", "steps", "stepped", "stepping", "resigned", "resigns", "leaves", "departs"];
    private static readonly string[] PassiveAcquired = ["acquired", "bought", "purchased", "absorbed", "taken"];

    public static IReadOnlyList<Party> Assign(string text, string? signalType, IEnumerable<(string Text, string Label, int Start, int End)> entities)
    {
        var tokens = WordTokens.Of(text);
        var parties = entities.OrderBy(e => e.Start).Select(e =>
        {
            var (before, after) = Window(tokens, e.Start, e.End);
            var (role, title) = (signalType, e.Label) switch
            {
                ("acquisition", EntityRecognizer.Organisation) => (AcquisitionRole(before, after), null),
                ("funding_round", EntityRecognizer.Organisation) => (FundingRole(before, after), null),
                ("leadership_hire", EntityRecognizer.Organisation) => (before.Intersect(FormerBefore).Any() ? "former_employer" : null, null),
                ("leadership_hire", EntityRecognizer.Person) => PersonRole(before, after),
                _ => ((string?)null, (string?)null),
            };
            return new Party(e.Text, e.Label, e.Start, e.End, role, title);
        }).ToList();
        // The subject company of a raise or a hire is the first one that got no other role.
        var subjectRole = signalType switch { "funding_round" => "investee", "leadership_hire" => "employer", "acquisition" => "acquirer", _ => null };
        if (subjectRole is not null && !parties.Any(p => p.Role == subjectRole)
            && parties.FindIndex(p => p.Label == EntityRecognizer.Organisation && p.Role is null) is var first and >= 0)
            parties[first] = parties[first] with { Role = subjectRole };
        return parties;
    }

    private static string? AcquisitionRole(string[] before, string[] after)
    {
        if (before.Length >= 1 && before[^1] == "by" && before.Intersect(PassiveAcquired).Any()) return "acquirer";
        if (before.Length >= 2 && before[^2..] is ["part", "of"] or ["folded", "into"] or ["merged", "into"]) return "acquirer";
        if (before.Length >= 2 && before[^2..] is ["sold", "to"]) return "acquirer";
        if (after.Take(3).Intersect(PassiveAcquired).Any() && after.Take(2).Any(w => w is "was" or "is" or "be" or "been" or "being")) return "target";
        if (after.Take(3).Contains("sold")) return "target";
        if (after.Take(4).Intersect(AcquiringAfter).Any()) return "acquirer";
        if (before.TakeLast(4).Intersect(TargetAfter).Any()) return "target";
        if (before.Length >= 2 && before[^2..] is ["snaps" or "snapped" or "scoops" or "scooped", "up"] or ["acquisition" or "purchase" or "takeover" or "buyout", "of"]
            or ["merger" or "merge" or "merges" or "merging", "with"]) return "target";
        if (before.Length >= 1 && before[^1] == "for" && before.Any(w => w is "offer" or "bid" or "approach")) return "target";
        return null;
    }

    private static string? FundingRole(string[] before, string[] after)
    {
        if (before.TakeLast(3).Intersect(InvestorBefore).Any() || after.Take(2).Intersect(InvestorAfter).Any()) return "investor";
        // "Nordvik Capital and Isbrand Ventures", "Northgale Ventures and Fernbrook Capital co-led": a list shares its role.
        if (before.TakeLast(4).Contains("and") && before.TakeLast(6).Intersect(InvestorBefore).Any()) return "investor";
        if (after.FirstOrDefault() is "and" && after.Take(6).Intersect(InvestorAfter).Any()) return "investor";
        return null;
    }

    private static (string? Role, string? Title) PersonRole(string[] before, string[] after)
    {
        if (before.TakeLast(2).Intersect(PredecessorBefore).Any() || after.Take(3).Intersect(PredecessorAfter).Any()) return ("predecessor", null);
        return ("appointee", TitleAfter(after) ?? TitleBefore(before));
    }

    /// <summary>"as chief operating officer", "to managing partner", ", chief executive", "will become CEO".</summary>
    private static string? TitleAfter(string[] after)
    {
        var rest = after.SkipWhile(w => w is "," or "as" or "to" or "the" or "its" or "new" or "interim" or "will" or "become" or "becomes"
            or "promoted" or "named" or "was" or "has" or "been" or "appointed" or "a");
        var words = rest.TakeWhile(w => EntityLexicon.TitleWords.Contains(w) || EntityLexicon.TitleModifiers.Contains(w)).ToArray();
        return words.Any(EntityLexicon.TitleWords.Contains) ? string.Join(' ', words) : null;
    }

    private static string? TitleBefore(string[] before) =>
        before.Length > 0 && EntityLexicon.TitleWords.Contains(before[^1]) ? before[^1] : null;

    /// <summary>Up to six words on each side of the entity within its sentence, lower-cased (punctuation kept as words).</summary>
    private static (string[] Before, string[] After) Window(IReadOnlyList<WordToken> tokens, int start, int end)
    {
        // Binary search for the entity's first token: the window costs the same wherever the entity is in a long text.
        var (low, high) = (0, tokens.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (tokens[middle].End <= start) low = middle + 1; else high = middle;
        }
        var before = new List<string>();
        if (!(low < tokens.Count && tokens[low].Start == start && tokens[low].StartsSentence))
        {
            for (var i = low - 1; i >= 0 && before.Count < 6; i--)
            {
                before.Insert(0, tokens[i].Text.ToLowerInvariant());
                if (tokens[i].StartsSentence) break;
            }
        }
        var after = new List<string>();
        for (var i = low; i < tokens.Count && after.Count < 6; i++)
        {
            if (tokens[i].Start < end) continue;
            if (tokens[i].StartsSentence) break;
            after.Add(tokens[i].Text.ToLowerInvariant());
        }
        return ([.. before], [.. after]);
    }
}
