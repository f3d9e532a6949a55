using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Annotators.Rules;

/// <summary>
/// Finds dates in the document text, absolute ("March 14, 2026", "Q3 2026") and relative ("yesterday",
/// "last week", "by the end of June"), resolving the latter against the document's publication date.
/// </summary>
public sealed class DatesAnnotator : IAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<DatesOptions>(
        "dates",
        "Dates in the text (\"March 14, 2026\", \"Q3\", \"last week\"), relative ones resolved against the publication date",
        (options, _) => new DatesAnnotator(options));

    private readonly string _referenceField;

    public DatesAnnotator(DatesOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ReferenceField))
            throw new AnnotatorConfigurationException("option 'referenceField' must not be empty");
        _referenceField = options.ReferenceField;
    }

    public ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var mentions = DateExpressions.Find(input.Document.Text, ReadReference(input.Document.Root));

        var dates = mentions.Select(m => (JsonNode)new JsonObject
        {
            ["text"] = m.Text,
            ["date"] = m.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["precision"] = m.Precision.ToString().ToLowerInvariant(),
            ["relative"] = m.Relative,
            ["start"] = m.Start,
            ["end"] = m.End,
        });
        var spans = mentions.Select(m => new AnnotationSpan(m.Start, m.End, "DATE", 1.0, m.Text)).ToList();
        return ValueTask.FromResult(new Annotation(new JsonObject { ["dates"] = new JsonArray(dates.ToArray()) }, spans));
    }

    // A missing, non-string or non-ISO-8601 field leaves relative dates unresolved rather than failing the document.
    private DateOnly? ReadReference(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty(_referenceField, out var field)
        && field.ValueKind == JsonValueKind.String
        && field.TryGetDateTimeOffset(out var at)
            ? DateOnly.FromDateTime(at.DateTime)
            : null;
}
