namespace Herald.Annotators.Rules;

/// <summary>Options of the <c>dates</c> kind.</summary>
public sealed class DatesOptions
{
    /// <summary>
    /// The top-level document field, an ISO-8601 date or timestamp, that relative dates ("yesterday", "Jan. 5")
    /// are resolved against. Its calendar date is taken as written, in the writer's own offset.
    /// </summary>
    public string ReferenceField { get; init; } = "publishedAt";
}
