using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Herald.Warehouse.Rows;

/// <summary>
/// What a central-topic record (README's wire format) brings the warehouse: its keys and, from a <c>complete</c> record, the
/// columns of the document and of every annotation (<see cref="RecordFields"/>), their text copied into a batch's
/// <see cref="ByteArena"/>. Every emission mode ends a run with a complete record carrying the whole state, so taking rows from
/// it alone lands the same rows in every mode; a running record (modes <c>All</c> and <c>Deltas</c>) brings nothing the
/// complete one will not, and is only counted. The tables then hold completed runs, each row written once: no row is updated
/// as a run goes on.
/// </summary>
internal sealed record CentralRecord(string Id, string Pipeline, string PipelineVersion, bool Complete, DateTimeOffset? CompletedAt,
    DocumentFields? Document, List<(string Name, AnnotationFields Fields)> Annotations)
{
    public void AddTo(RowBatch batch, int partition, DateTimeOffset timestamp)
    {
        if (Document is { } document)
            batch.Documents.Add(new DocumentRow(partition, Id, Pipeline, PipelineVersion, document, CompletedAt ?? timestamp));
        foreach (var (name, fields) in Annotations)
            batch.Annotations.Add(new AnnotationRow(partition, Id, Pipeline, PipelineVersion, name, fields));
        batch.Records++;
    }
}

/// <summary>
/// Reads a <see cref="CentralRecord"/> in one pass over the record, which notes the keys and where the document and the
/// annotations are; a complete record's document and annotations are then read for their columns.
/// </summary>
internal static class CentralRecordReader
{
    /// <summary>
    /// The record, the text of its rows copied into <paramref name="arena"/>; null when it is not a Herald record. A running record is
    /// taken as read once its keys and status are (what follows them is not looked at, so a running record cut short after them
    /// still counts as read: it brings no rows either way).
    /// </summary>
    public static CentralRecord? Read(ReadOnlySpan<byte> value, ByteArena arena)
    {
        // Its text goes to DuckDB as it is: valid UTF-8 or nothing.
        if (!Utf8.IsValid(value)) return null;
        try
        {
            return Parse(value, arena);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null; // not JSON, or a string escaping a lone surrogate ("\ud800"): no text can hold it
        }
    }

    private static CentralRecord? Parse(ReadOnlySpan<byte> value, ByteArena arena)
    {
        var reader = new Utf8JsonReader(value);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        string? id = null, tag = null, version = null;
        DateTimeOffset? completedAt = null;
        bool complete = false, running = false;
        Range? document = null;
        var annotations = new List<(Name Name, Range Json)>();
        // Names are matched as UTF-8, not decoded: only the values kept become strings.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader);
            reader.Read();
            switch (property)
            {
                case "id" when reader.TokenType == JsonTokenType.String: id = reader.GetString(); break;
                case "status" when reader.TokenType == JsonTokenType.String:
                    complete = reader.ValueTextEquals("complete"u8);
                    running = !complete;
                    break;
                case "completedAt":
                    completedAt = RecordFields.Timestamp(ref reader);
                    reader.Skip();
                    break;
                case "pipeline" when reader.TokenType == JsonTokenType.StartObject:
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.ValueTextEquals("tag"u8) ? "tag" : reader.ValueTextEquals("version"u8) ? "version" : null;
                        reader.Read();
                        if (name == "tag" && reader.TokenType == JsonTokenType.String) tag = reader.GetString();
                        else if (name == "version" && reader.TokenType == JsonTokenType.String) version = reader.GetString();
                        else reader.Skip();
                    }
                    break;
                case "document" when reader.TokenType == JsonTokenType.StartObject:
                    document = Slice(ref reader);
                    break;
                case "annotations" when reader.TokenType == JsonTokenType.StartObject:
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        // Where each is, noted: the status may come after them (another producer's order), and only a complete
                        // record's are decoded and copied.
                        var name = reader.ValueIsEscaped ? new Name(default, reader.GetString()) : new Name(NameBytes(ref reader), null);
                        reader.Read();
                        var isObject = reader.TokenType == JsonTokenType.StartObject;
                        var json = Slice(ref reader);
                        if (isObject) annotations.Add((name, json));
                    }
                    break;
                default:
                    reader.Skip();
                    break;
            }
            // A running record brings no rows: once its keys are known (Herald writes them and the status first), it is read.
            if (running && id is not null && tag is not null && version is not null) return new CentralRecord(id, tag, version, false, null, null, []);
        }
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(tag) || string.IsNullOrEmpty(version)) return null; // keys are never empty
        if (!complete) annotations.Clear();
        var read = new List<(string, AnnotationFields)>(annotations.Count);
        foreach (var (name, json) in annotations) read.Add((name.Decode(value), RecordFields.Annotation(value[json], arena)));
        DocumentFields? fields = complete && document is { } d ? RecordFields.Document(value[d], arena) : null;
        return new CentralRecord(id, tag, version, complete, completedAt, fields, read);
    }

    // The record's properties that the warehouse reads, as constants: matched against the raw name without decoding it.
    private static string? Property(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("id"u8) ? "id"
        : reader.ValueTextEquals("status"u8) ? "status"
        : reader.ValueTextEquals("completedAt"u8) ? "completedAt"
        : reader.ValueTextEquals("pipeline"u8) ? "pipeline"
        : reader.ValueTextEquals("document"u8) ? "document"
        : reader.ValueTextEquals("annotations"u8) ? "annotations"
        : null;

    /// <summary>Where an unescaped property name's text stands in the record (after its opening quote).</summary>
    private static Range NameBytes(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex + 1;
        return start..(start + reader.ValueSpan.Length);
    }

    /// <summary>An annotation's name: where it stands in the record (plain UTF-8), or decoded already (it had escapes).</summary>
    private readonly record struct Name(Range Raw, string? Decoded)
    {
        public string Decode(ReadOnlySpan<byte> record) => Decoded ?? Encoding.UTF8.GetString(record[Raw]);
    }

    /// <summary>The value the reader is on, skipped: where it starts and ends in the record.</summary>
    private static Range Slice(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return start..(int)reader.BytesConsumed;
    }
}
