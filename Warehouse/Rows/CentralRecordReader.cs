using System.Text.Json;

namespace Herald.Warehouse.Rows;

/// <summary>
/// Turns one central-topic record (README's wire format) into warehouse rows. Every emission mode lands the same
/// rows: a <c>complete</c> record carries the whole state, so it gives the document and all its annotations; a running
/// record (modes <c>All</c> and <c>Deltas</c>) gives the one annotation it added, which is its last, and (<c>All</c>) the
/// document as running.
/// </summary>
internal static class CentralRecordReader
{
    /// <summary>Adds the record's rows to the batch; false (and nothing added) when it is not a Herald record.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, RecordPosition position, DateTimeOffset timestamp, RowBatch batch)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(value.ToArray());
        }
        catch (JsonException)
        {
            return false;
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || String(root, "id") is not { } id
                || !root.TryGetProperty("pipeline", out var pipeline) || pipeline.ValueKind != JsonValueKind.Object
                || String(pipeline, "tag") is not { } tag || String(pipeline, "version") is not { } version)
                return false;
            var complete = String(root, "status") == "complete";
            if (root.TryGetProperty("document", out var document) && document.ValueKind == JsonValueKind.Object)
            {
                var completedAt = complete ? String(root, "completedAt") ?? timestamp.ToString("O") : null;
                batch.Documents.Add(new DocumentRow(position, id, tag, version, String(document, "text"), String(document, "title"),
                    String(document, "source"), String(document, "url"), String(document, "publishedAt"), Raw(document, "metadata"),
                    complete ? "complete" : "running", completedAt));
            }
            if (root.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object)
            {
                JsonProperty? last = null;
                foreach (var annotation in annotations.EnumerateObject())
                {
                    if (complete) Add(batch, position, id, tag, version, annotation, final: true);
                    else last = annotation;
                }
                if (last is { } added) Add(batch, position, id, tag, version, added, final: false);
            }
            batch.Records++;
            return true;
        }
    }

    private static void Add(RowBatch batch, RecordPosition position, string id, string tag, string version, JsonProperty annotation, bool final)
    {
        var a = annotation.Value;
        if (a.ValueKind != JsonValueKind.Object) return;
        batch.Annotations.Add(new AnnotationRow(position, id, tag, version, annotation.Name, String(a, "version") ?? "", String(a, "status") ?? "",
            Raw(a, "value"), String(a, "error") ?? String(a, "reason"), Number(a, "durationMs"), (int?)Number(a, "attempts"), String(a, "at"), final));
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Raw(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value.GetRawText() : null;

    private static double? Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
