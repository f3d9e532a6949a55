using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Herald.Annotators;

/// <summary>What an annotator returns: a JSON value and, optionally, spans over the document text.</summary>
public sealed record Annotation(JsonNode? Value, IReadOnlyList<AnnotationSpan>? Spans = null)
{
    public static Annotation Of(JsonNode? value) => new(value);
}

/// <summary>
/// A labelled range of the document text. <see cref="Start"/> and <see cref="End"/> are UTF-16 character
/// offsets into <see cref="AnnotatorDocument.Text"/> (End exclusive), as .NET and JavaScript strings count.
/// </summary>
public sealed record AnnotationSpan(
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("end")] int End,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("text")] string? Text = null);
