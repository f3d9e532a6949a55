namespace Herald.Annotators.Onnx.Heads;

/// <summary>The role head's labels, and which of them a span may take given its kind and the event type.</summary>
internal static class SignalRoles
{
    public const string None = "none";
    public const string Amount = "amount";
    public const string OtherAmount = "other_amount";
    public const string Title = "title";
    public const string OtherTitle = "other_title";

    public static readonly string[] Labels =
        ["investee", "investor", "acquirer", "target", "employer", "former_employer", "appointee", "predecessor", None, Amount, OtherAmount, Title, OtherTitle];

    /// <summary>The labels a span may take: an amount is the event's or another, a title the appointee's or another; a party's roles are the event's (or none).</summary>
    public static string[] Allowed(SpanKind kind, string? eventType) => kind switch
    {
        SpanKind.Money => [Amount, OtherAmount],
        SpanKind.JobTitle => eventType == "leadership_hire" ? [Title, OtherTitle] : [OtherTitle],
        _ => PartyRoles(kind, eventType),
    };

    private static string[] PartyRoles(SpanKind kind, string? eventType) => eventType switch
    {
        "funding_round" => ["investee", "investor", None],
        "acquisition" => ["acquirer", "target", None],
        "leadership_hire" when kind == SpanKind.Person => ["appointee", "predecessor", None],
        "leadership_hire" => ["employer", "former_employer", None],
        _ => [None],
    };
}
