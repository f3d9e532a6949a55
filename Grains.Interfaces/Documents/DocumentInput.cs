namespace Herald.Grains.Documents;

/// <summary>
/// A document as received. <see cref="Json"/> is the original JSON object (unknown fields included), kept
/// verbatim so the central topic can echo it; <see cref="Id"/>, <see cref="Text"/> and <see cref="Title"/> are pulled out of it.
/// <see cref="TraceParent"/> is the W3C trace context it arrived with (a Kafka header, an HTTP request), so its trace goes on.
/// </summary>
[GenerateSerializer, Immutable, Alias("herald.document-input")]
public sealed record DocumentInput(
    [property: Id(0)] string Id,
    [property: Id(1)] string Text,
    [property: Id(2)] string? Title,
    [property: Id(3)] string Json,
    [property: Id(4)] string? TraceParent = null)
{
    /// <summary>Whether two submissions are the same document: equal JSON, whatever its spacing or property order.</summary>
    public bool SameContentAs(DocumentInput other)
    {
        if (Id != other.Id) return false;
        if (Json == other.Json) return true;
        using var mine = System.Text.Json.JsonDocument.Parse(Json);
        using var theirs = System.Text.Json.JsonDocument.Parse(other.Json);
        return System.Text.Json.JsonElement.DeepEquals(mine.RootElement, theirs.RootElement);
    }
}
