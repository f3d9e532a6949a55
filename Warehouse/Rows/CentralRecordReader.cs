using System.Text.Json;

namespace Herald.Warehouse.Rows;

/// <summary>
/// Turns one central-topic record (README's wire format) into warehouse rows. Every emission mode lands the same
/// rows: a <c>complete</c> record carries the whole state, so it gives the document and all its annotations; a running
/// record (modes <c>All</c> and <c>Deltas</c>) gives the one annotation it added, which is its last. A document's row comes
/// with its completion (mode <c>Deltas</c> has no document before), so the table holds completed documents.
/// </summary>
internal static class CentralRecordReader
{
    /// <summary>Adds the record's rows to the batch; false (and nothing added) when it is not a Herald record.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> value, RecordPosition position, DateTimeOffset timestamp, RowBatch batch)
    {
        try
        {
            return TryRead(value, position, timestamp, batch, out var rows) && Add(batch, rows);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private readonly record struct Slice(int Start, int End);

    private sealed record RecordParts(string Id, string Tag, string Version, bool Complete, string? CompletedAt, Slice? Document, List<(string Name, Slice Value)> Annotations)
    {
        public required ReadOnlyMemory<byte> Bytes { get; init; }
        public required RecordPosition Position { get; init; }
        public required DateTimeOffset Timestamp { get; init; }
    }

    /// <summary>
    /// One pass of a reader over the record, which only notes where the document and the annotations it needs are: a running record
    /// of mode <c>All</c> carries the whole state so far, of which only the last annotation is new.
    /// </summary>
    private static bool TryRead(ReadOnlyMemory<byte> value, RecordPosition position, DateTimeOffset timestamp, RowBatch batch, out RecordParts rows)
    {
        rows = null!;
        var reader = new Utf8JsonReader(value.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        string? id = null, tag = null, version = null, status = null, completedAt = null;
        Slice? document = null;
        var annotations = new List<(string, Slice)>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "id" when reader.TokenType == JsonTokenType.String: id = reader.GetString(); break;
                case "status" when reader.TokenType == JsonTokenType.String: status = reader.GetString(); break;
                case "completedAt" when reader.TokenType == JsonTokenType.String: completedAt = reader.GetString(); break;
                case "pipeline" when reader.TokenType == JsonTokenType.StartObject:
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString();
                        reader.Read();
                        if (name == "tag" && reader.TokenType == JsonTokenType.String) tag = reader.GetString();
                        else if (name == "version" && reader.TokenType == JsonTokenType.String) version = reader.GetString();
                        else reader.Skip();
                    }
                    break;
                case "document" when reader.TokenType == JsonTokenType.StartObject:
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    document = new Slice(start, (int)reader.BytesConsumed);
                    break;
                case "annotations" when reader.TokenType == JsonTokenType.StartObject:
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString()!;
                        reader.Read();
                        var from = (int)reader.TokenStartIndex;
                        reader.Skip();
                        annotations.Add((name, new Slice(from, (int)reader.BytesConsumed)));
                    }
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (id is null || tag is null || version is null) return false;
        var complete = status == "complete";
        // A running record's new annotation is its last; the ones before it came with earlier records.
        if (!complete && annotations.Count > 1) annotations.RemoveRange(0, annotations.Count - 1);
        rows = new RecordParts(id, tag, version, complete, completedAt, complete ? document : null, annotations)
            { Bytes = value, Position = position, Timestamp = timestamp };
        return true;
    }

    private static bool Add(RowBatch batch, RecordParts record)
    {
        if (record.Document is { } slice)
        {
            using var json = JsonDocument.Parse(record.Bytes[slice.Start..slice.End]);
            var document = json.RootElement;
            batch.Documents.Add(new DocumentRow(record.Position, record.Id, record.Tag, record.Version, String(document, "text"), String(document, "title"),
                String(document, "source"), String(document, "url"), String(document, "publishedAt"), Raw(document, "metadata"),
                "complete", record.CompletedAt ?? record.Timestamp.ToString("O")));
        }
        foreach (var (name, value) in record.Annotations)
        {
            using var json = JsonDocument.Parse(record.Bytes[value.Start..value.End]);
            var a = json.RootElement;
            if (a.ValueKind != JsonValueKind.Object) continue;
            batch.Annotations.Add(new AnnotationRow(record.Position, record.Id, record.Tag, record.Version, name, String(a, "version") ?? "", String(a, "status") ?? "",
                Raw(a, "value"), String(a, "error") ?? String(a, "reason"), Number(a, "durationMs"), (int?)Number(a, "attempts"), String(a, "at"), record.Complete));
        }
        batch.Records++;
        return true;
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Raw(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value.GetRawText() : null;

    private static double? Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
