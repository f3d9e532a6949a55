using Herald.Contracts;

namespace Herald.Client;

/// <summary>
/// A business signal as the <c>signal</c> annotator assembles it: the event type, the amount and date it is about, the
/// companies and people with their roles, and the evidence spans in the text.
/// </summary>
public sealed record Signal(string? Type, double? Confidence, SignalAmount? Amount, SignalDate? Date,
    IReadOnlyList<SignalParty> Companies, IReadOnlyList<SignalParty> People, IReadOnlyList<SignalEvidence> Evidence);

/// <summary>An amount of money: its value in units of <see cref="Currency"/> (ISO 4217), and where the text says it.</summary>
public sealed record SignalAmount(decimal Amount, string Currency, string Text, int Start, int End);

/// <summary>A date the text mentions: resolved to <c>yyyy-MM-dd</c> where it can be, with its precision (<c>day</c>, <c>month</c>, <c>year</c>...).</summary>
public sealed record SignalDate(string Text, string? Date, string? Precision, bool? Relative, int Start, int End);

/// <summary>
/// A company or person and its role in the event: <c>investee</c>/<c>investor</c>, <c>acquirer</c>/<c>target</c>,
/// <c>employer</c>/<c>former_employer</c>, <c>appointee</c>/<c>predecessor</c>, or null. An appointee carries its title.
/// </summary>
public sealed record SignalParty(string Name, string? Role, string? Title = null);

/// <summary>A span of the text the signal rests on (<c>ORG</c>, <c>PER</c>, <c>amount</c>, <c>date</c>, <c>title</c>).</summary>
public sealed record SignalEvidence(string Label, int Start, int End, string? Text);

/// <summary>Reading signals out of central-topic records.</summary>
public static class SignalRecords
{
    /// <summary>The signal annotator <paramref name="annotator"/> produced for this document, or null (skipped, failed, absent).</summary>
    public static Signal? Signal(this DocumentRecord record, string annotator = "signal") =>
        record.ValueOf(annotator, HeraldClientJson.Default.Signal);
}
