using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Annotators.Rules;

/// <summary>How much of a date an expression pins down; <see cref="DateMention.Date"/> is the first day of that period.</summary>
internal enum DatePrecision { Day, Week, Month, Quarter, Year }

/// <summary>
/// A date expression found in text. <see cref="Relative"/> is true when the text alone does not fix the date and the
/// reference date was needed (or, when absent, would have been): "yesterday", "Tuesday", "Jan. 5", "in Q3".
/// </summary>
internal sealed record DateMention(int Start, int End, string Text, DateOnly? Date, DatePrecision Precision, bool Relative);

/// <summary>The date grammar of the <c>dates</c> kind: one pattern per form of date, each with its resolution.</summary>
internal static partial class DateExpressions
{
    private const string FullMonthNames = "January|February|March|April|May|June|July|August|September|October|November|December";

    // Full names never take a dot; abbreviations may ("Mar. 14"). Capitalised only, so "may" and "march" stay verbs.
    private const string MonthName = $@"(?<month>(?:{FullMonthNames})\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?:\.|\b))";

    // Alone, only full names are months: "by Jan" is more often a person ("founded by Jan Koum").
    private const string FullMonthName = $@"(?<month>(?:{FullMonthNames})\b)";

    // Not followed by more digits, so "20261" or "2026.5" is no year.
    private const string Year = @"(?<year>(?:19|20)\d{2})(?![.,]?\d)";

    // Not followed by ":" or "." and a digit, so times ("10:30") and decimals ("2.5") are no days.
    private const string Day = @"(?<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?![.:]\d)";

    // Words that make a bare year or month a date ("in 2027", "by March", "mid-2026"); without one, "2026" may be a count.
    private const string Cue = @"(?<=\b(?i:in|by|since|until|through|during|before|after|from|for|of|early|late|fiscal)\s|\b(?i:mid)-)";

    private static readonly string[] MonthPrefixes = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Quarters = ["first", "second", "third", "fourth"];

    private delegate DateMention? Resolver(Match match, DateOnly? reference);

    private static readonly (Regex Pattern, Resolver Resolve)[] Rules =
    [
        (IsoDate(), (m, _) => Exact(m, Int(m, "year"), Int(m, "monthNumber"), Int(m, "day"))),
        (MonthDayYear(), DayOfMonth),
        (DayMonthYear(), DayOfMonth),
        (MonthYear(), (m, _) => Mention(m, new DateOnly(Int(m, "year"), Month(m), 1), DatePrecision.Month, relative: false)),
        (CuedMonth(), (m, reference) => Implied(m, reference, DatePrecision.Month, year => new DateOnly(year, Month(m), 1))),
        (CuedYear(), (m, _) => Mention(m, new DateOnly(Int(m, "year"), 1, 1), DatePrecision.Year, relative: false)),
        (Quarter(), ResolveQuarter),
        (EndOf(), ResolveEndOf),
        (Weekday(), ResolveWeekday),
        (RelativeDay(), ResolveRelativeDay),
        (RelativePeriod(), ResolveRelativePeriod),
    ];

    /// <summary>The date expressions in <paramref name="text"/>, in order, none overlapping.</summary>
    public static List<DateMention> Find(string text, DateOnly? reference)
    {
        var candidates = new List<DateMention>();
        foreach (var (pattern, resolve) in Rules)
        {
            foreach (Match match in pattern.Matches(text))
            {
                if (resolve(match, reference) is { } mention)
                    candidates.Add(mention);
            }
        }

        // Forms nest ("June 2026" inside "end of June 2026"): keep the earliest, then the longest, expression.
        candidates.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var kept = new List<DateMention>();
        foreach (var candidate in candidates)
        {
            if (kept.Count == 0 || candidate.Start >= kept[^1].End)
                kept.Add(candidate);
        }
        return kept;
    }

    [GeneratedRegex(@"\b(?<year>(?:19|20)\d{2})-(?<monthNumber>0[1-9]|1[0-2])-(?<day>[0-3]\d)\b", RegexOptions.ExplicitCapture)]
    private static partial Regex IsoDate();

    [GeneratedRegex($@"\b{MonthName}\s{Day}(?:,?\s{Year})?", RegexOptions.ExplicitCapture)]
    private static partial Regex MonthDayYear();

    // Not after a currency symbol or a number, so "$14 March..." or "2.14 March" is no day.
    [GeneratedRegex($@"(?<![\p{{Sc}}\d.,])\b{Day}\s(?:of\s)?{MonthName}(?:,?\s{Year})?", RegexOptions.ExplicitCapture)]
    private static partial Regex DayMonthYear();

    [GeneratedRegex($@"\b{MonthName},?\s{Year}", RegexOptions.ExplicitCapture)]
    private static partial Regex MonthYear();

    [GeneratedRegex($@"{Cue}{FullMonthName}", RegexOptions.ExplicitCapture)]
    private static partial Regex CuedMonth();

    [GeneratedRegex($@"{Cue}{Year}", RegexOptions.ExplicitCapture)]
    private static partial Regex CuedYear();

    [GeneratedRegex($@"\b(?:Q(?<quarter>[1-4])\b|(?<quarterWord>(?i:first|second|third|fourth))[\s-](?i:quarter)\b)(?:\s(?:of\s)?{Year})?", RegexOptions.ExplicitCapture)]
    private static partial Regex Quarter();

    [GeneratedRegex($@"\b(?i:end)\sof\s(?:(?i:the|this)\s(?<unit>(?i:week|month|quarter|year))\b|{MonthName}(?:,?\s{Year})?|{Year})", RegexOptions.ExplicitCapture)]
    private static partial Regex EndOf();

    // "Black Friday" and the like are events, not the coming or last weekday.
    [GeneratedRegex(@"(?<!\b(?i:black|cyber|good|super|ash|giving|easter)\s)\b(?:(?<qualifier>(?i:last|next|this))\s)?(?<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", RegexOptions.ExplicitCapture)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b(?<word>(?i:yesterday|today|tomorrow))\b", RegexOptions.ExplicitCapture)]
    private static partial Regex RelativeDay();

    [GeneratedRegex(@"\b(?<qualifier>(?i:last|this|next))\s(?<unit>(?i:week|month|quarter|year))\b", RegexOptions.ExplicitCapture)]
    private static partial Regex RelativePeriod();

    private static DateMention? DayOfMonth(Match match, DateOnly? reference)
    {
        var (month, day) = (Month(match), Int(match, "day"));
        if (match.Groups["year"].Success)
            return Exact(match, Int(match, "year"), month, day);
        // Checked against a leap year: "Feb. 29" is a day, "Feb. 30" is not.
        if (day < 1 || day > DateTime.DaysInMonth(2000, month))
            return null;
        return Implied(match, reference, DatePrecision.Day, year => day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null);
    }

    private static DateMention ResolveQuarter(Match match, DateOnly? reference)
    {
        var quarter = match.Groups["quarter"].Success
            ? Int(match, "quarter")
            : Array.FindIndex(Quarters, q => q.Equals(match.Groups["quarterWord"].Value, StringComparison.OrdinalIgnoreCase)) + 1;
        return match.Groups["year"].Success
            ? Mention(match, QuarterStart(Int(match, "year"), quarter), DatePrecision.Quarter, relative: false)
            : Implied(match, reference, DatePrecision.Quarter, year => QuarterStart(year, quarter));
    }

    // "End of" names a deadline, so it resolves to the last day of the period, at day precision.
    private static DateMention ResolveEndOf(Match match, DateOnly? reference)
    {
        if (match.Groups["unit"].Success)
        {
            var unit = Enum.Parse<DatePrecision>(match.Groups["unit"].Value, ignoreCase: true);
            return Mention(match, reference is { } r ? PeriodStart(r, unit, 1).AddDays(-1) : null, DatePrecision.Day, relative: true);
        }
        if (!match.Groups["month"].Success)
            return Mention(match, new DateOnly(Int(match, "year"), 12, 31), DatePrecision.Day, relative: false);

        var month = Month(match);
        DateOnly EndOfMonth(int year) => new(year, month, DateTime.DaysInMonth(year, month));
        return match.Groups["year"].Success
            ? Mention(match, EndOfMonth(Int(match, "year")), DatePrecision.Day, relative: false)
            : Implied(match, reference, DatePrecision.Day, year => EndOfMonth(year));
    }

    // A bare weekday is taken as the latest one on or before the reference: news mostly reports what happened.
    private static DateMention ResolveWeekday(Match match, DateOnly? reference)
    {
        if (reference is not { } r)
            return Mention(match, null, DatePrecision.Day, relative: true);

        var weekday = Enum.Parse<DayOfWeek>(match.Groups["weekday"].Value);
        var back = ((int)r.DayOfWeek - (int)weekday + 7) % 7;
        var date = match.Groups["qualifier"].Value.ToLowerInvariant() switch
        {
            "last" => r.AddDays(back == 0 ? -7 : -back),
            "next" => r.AddDays(back == 0 ? 7 : 7 - back),
            "this" => PeriodStart(r, DatePrecision.Week, 0).AddDays(((int)weekday + 6) % 7),
            _ => r.AddDays(-back),
        };
        return Mention(match, date, DatePrecision.Day, relative: true);
    }

    private static DateMention ResolveRelativeDay(Match match, DateOnly? reference)
    {
        var offset = match.Groups["word"].Value.ToLowerInvariant() switch
        {
            "yesterday" => -1,
            "tomorrow" => 1,
            _ => 0,
        };
        return Mention(match, reference is { } r ? r.AddDays(offset) : null, DatePrecision.Day, relative: true);
    }

    private static DateMention ResolveRelativePeriod(Match match, DateOnly? reference)
    {
        var unit = Enum.Parse<DatePrecision>(match.Groups["unit"].Value, ignoreCase: true);
        var offset = match.Groups["qualifier"].Value.ToLowerInvariant() switch
        {
            "last" => -1,
            "next" => 1,
            _ => 0,
        };
        return Mention(match, reference is { } r ? PeriodStart(r, unit, offset) : null, unit, relative: true);
    }

    /// <summary>The first day of the <paramref name="unit"/> that is <paramref name="offset"/> units from the one holding <paramref name="reference"/>; weeks start on Monday.</summary>
    private static DateOnly PeriodStart(DateOnly reference, DatePrecision unit, int offset) => unit switch
    {
        DatePrecision.Day => reference.AddDays(offset),
        DatePrecision.Week => reference.AddDays(-(((int)reference.DayOfWeek + 6) % 7) + 7 * offset),
        DatePrecision.Month => new DateOnly(reference.Year, reference.Month, 1).AddMonths(offset),
        DatePrecision.Quarter => QuarterStart(reference.Year, (reference.Month + 2) / 3).AddMonths(3 * offset),
        DatePrecision.Year => new DateOnly(reference.Year + offset, 1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };

    private static DateOnly QuarterStart(int year, int quarter) => new(year, 3 * quarter - 2, 1);

    private static DateMention? Exact(Match match, int year, int month, int day) =>
        day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? Mention(match, new DateOnly(year, month, day), DatePrecision.Day, relative: false)
            : null;

    // Written without its year ("Jan. 5", "in Q3"), a date is taken in whichever year puts it nearest the reference,
    // so "fourth-quarter results" published in February mean the quarter just past.
    private static DateMention Implied(Match match, DateOnly? reference, DatePrecision precision, Func<int, DateOnly?> inYear)
    {
        DateOnly? nearest = null;
        if (reference is { } r)
        {
            for (var year = r.Year - 1; year <= r.Year + 1; year++)
            {
                if (inYear(year) is { } candidate
                    && (nearest is null || Math.Abs(candidate.DayNumber - r.DayNumber) < Math.Abs(nearest.Value.DayNumber - r.DayNumber)))
                    nearest = candidate;
            }
        }
        return Mention(match, nearest, precision, relative: true);
    }

    private static DateMention Mention(Match match, DateOnly? date, DatePrecision precision, bool relative) =>
        new(match.Index, match.Index + match.Length, match.Value, date, precision, relative);

    private static int Month(Match match) => Array.IndexOf(MonthPrefixes, match.Groups["month"].Value[..3]) + 1;

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture);
}
