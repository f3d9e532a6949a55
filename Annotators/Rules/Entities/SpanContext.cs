using static Herald.Annotators.Rules.Entities.EntityLexicon;

namespace Herald.Annotators.Rules.Entities;

/// <summary>Decides what a candidate name is from its own words and the words around it.</summary>
internal sealed class SpanContext(NameSpan span, IReadOnlyList<WordToken> tokens)
{
    public void ClassifyByContext()
    {
        var lastWord = tokens[span.Last].Bare;
        if (OrganisationHeads.Contains(lastWord) || OrganisationHeads.Contains(tokens[span.Last].Text) || Contains("&"))
            span.Classify(EntityRecognizer.Organisation, 0.95);
        else if (span.WordCount == 1 && tokens[span.First].StartsSentence)
        {
            // A capital that only starts a sentence is weak evidence ("Store names will not change"): only an unambiguous verb counts.
            if (IsUnambiguousCompanySubject())
                span.Classify(EntityRecognizer.Organisation, 0.75);
        }
        else if (Honorifics.Contains(Before(1)))
            span.Classify(EntityRecognizer.Person, 0.9);
        else if (FollowsAcquisitionCue())
            span.Classify(EntityRecognizer.Organisation, 0.85);
        else if (IsTitledPerson())
            span.Classify(EntityRecognizer.Person, 0.9);
        else if (span.WordCount is >= 2 and <= 4 && HiringVerbs.Contains(Before(1)))
            span.Classify(EntityRecognizer.Person, 0.85);
        else if (IsOrganisationByContext())
            span.Classify(EntityRecognizer.Organisation, 0.8);
        else if (span.WordCount is >= 2 and <= 4 && IsPersonSubject())
            span.Classify(EntityRecognizer.Person, 0.8);
    }

    /// <summary>"CEO Jane Doe", "founder Nisha Carrow", "Jane Doe, chief executive", "Jane Doe as chief operating officer".</summary>
    private bool IsTitledPerson()
    {
        if (span.WordCount > 4) return false;
        if (TitleWords.Contains(Before(1)) && !Before(1).Equals("partner", StringComparison.OrdinalIgnoreCase)) return true;
        var next = 1;
        if (After(next) == ",") next++;
        else if (After(next) != "as") return false;
        else next++;
        if (After(next) is "the" or "its" or "a" or "an" or "former" or "new" or "interim" or "acting") next++;
        return TitleWords.Contains(After(next));
    }

    /// <summary>"Jane Doe will become", "Jane Doe joins", "Jane Doe was named", "Jane Doe steps down".</summary>
    private bool IsPersonSubject() => After(1) switch
    {
        "will" => After(2) is "become" or "join" or "succeed" or "take" or "step" or "lead" or "replace",
        "was" or "has" or "is" => After(2) is "named" or "appointed" or "promoted" or "hired" or "tapped" or "stepping" or "leaving"
            || (After(2) is "been" && After(3) is "named" or "appointed" or "promoted" or "hired" or "tapped"),
        "joins" or "joined" or "becomes" or "became" or "succeeds" or "succeeded" or "replaces" or "replaced" or "retires" or "resigned"
            or "resigns" or "steps" or "stepped" or "takes" or "took" => true,
        _ => false,
    };

    /// <summary>"acquired X", "snaps up X", "the acquisition of X", "merger with X": stronger than a title after the name.</summary>
    private bool FollowsAcquisitionCue()
    {
        var (before1, before2) = (Before(1), Before(2));
        return AcquisitionVerbs.Contains(before1)
            || (before1 is "up" && before2 is "snaps" or "snapped" or "scoops" or "scooped" or "snapping" or "scooping")
            || (before1 is "of" && before2 is "acquisition" or "purchase" or "takeover" or "owner" or "unit" or "subsidiary" or "division"
                or "parent" or "buyout" or "sale" or "shareholders" or "investors")
            || (before1 is "with" && before2 is "merger" or "merge" or "merges" or "merging" or "combination" or "deal")
            || (before1 is "for" && before2 is "bid" or "offer" or "approach" or "deal");
    }

    private bool IsOrganisationByContext()
    {
        var before1 = Before(1);
        if (InvestorCues.Contains(before1)) return true;
        if (before1 is "at" or "joins" or "joined" or "join" or "rival" or "startup" or "company" or "firm" or "maker" or "lender"
            or "platform" or "fund" or "investor" or "insurer" or "retailer" or "chain" or "operator" or "provider" or "developer") return true;
        return After(1) switch
        {
            "has" or "will" or "was" or "is" => After(2) is not ("been" or "named" or "appointed" or "promoted" or "hired" or "become" or "join")
                || (After(2) is "been" && After(3) is "acquired" or "bought" or "sold" or "purchased" or "taken" or "valued" or "backed"),
            var verb => CompanyVerbs.Contains(verb),
        };
    }

    private bool IsUnambiguousCompanySubject()
    {
        var verb = After(1) is "has" or "have" or "will" or "is" ? After(2) : After(1);
        return verb is "raises" or "raised" or "raising" or "secures" or "secured" or "acquires" or "acquired" or "acquire" or "buys"
            or "bought" or "buy" or "hires" or "hired" or "hire" or "appoints" or "appointed" or "appoint" or "agreed" or "agrees";
    }

    private bool Contains(string word) => Enumerable.Range(span.First, span.WordCount).Any(i => tokens[i].Text == word);

    private string Before(int n) => span.First - n >= 0 ? tokens[span.First - n].Text : "";

    private string After(int n) => span.Last + n < tokens.Count ? tokens[span.Last + n].Text : "";
}
