using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Herald.Warehouse.Rows;

/// <summary>
/// Reads the columns of a document and of an annotation out of their JSON (README's wire format), typed as the tables are, so
/// that DuckDB's appender takes them as they are: the sink's reader does this on its own thread while the previous batch is
/// written, and the writer (the sink's limit) only appends. A field that is absent, or of another type, is no value.
/// </summary>
internal static class RecordFields
{
    public static DocumentFields Document(ReadOnlySpan<byte> json, ByteArena arena)
    {
        var fields = new DocumentFields();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("text"u8) ? 1
                : reader.ValueTextEquals("title"u8) ? 2
                : reader.ValueTextEquals("source"u8) ? 3
                : reader.ValueTextEquals("url"u8) ? 4
                : reader.ValueTextEquals("publishedAt"u8) ? 5
                : reader.ValueTextEquals("metadata"u8) ? 6
                : 0;
            reader.Read();
            fields = field switch
            {
                1 => fields with { Text = Text(ref reader, arena) },
                2 => fields with { Title = Text(ref reader, arena) },
                3 => fields with { Source = Text(ref reader, arena) },
                4 => fields with { Url = Text(ref reader, arena) },
                5 => fields with { PublishedAt = Timestamp(ref reader) },
                6 => fields with { Metadata = Json(ref reader, json, arena) },
                _ => fields,
            };
            reader.Skip();
        }
        return fields;
    }

    public static AnnotationFields Annotation(ReadOnlySpan<byte> json, ByteArena arena)
    {
        var fields = new AnnotationFields();
        Utf8Value error = default, reason = default;
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("version"u8) ? 1
                : reader.ValueTextEquals("status"u8) ? 2
                : reader.ValueTextEquals("value"u8) ? 3
                : reader.ValueTextEquals("error"u8) ? 4
                : reader.ValueTextEquals("reason"u8) ? 5
                : reader.ValueTextEquals("durationMs"u8) ? 6
                : reader.ValueTextEquals("attempts"u8) ? 7
                : reader.ValueTextEquals("at"u8) ? 8
                : 0;
            reader.Read();
            switch (field)
            {
                case 1: fields = fields with { Version = Text(ref reader, arena) }; break;
                case 2: fields = fields with { Status = Text(ref reader, arena) }; break;
                case 3: fields = fields with { Value = Json(ref reader, json, arena) }; break;
                case 4: error = Text(ref reader, arena); break;
                case 5: reason = Text(ref reader, arena); break;
                case 6: fields = fields with { DurationMs = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var ms) ? ms : null }; break;
                case 7: fields = fields with { Attempts = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) ? n : null }; break;
                case 8: fields = fields with { At = Timestamp(ref reader) }; break;
            }
            reader.Skip();
        }
        // The keys' columns are NOT NULL: an annotation without a version or status has an empty one.
        return fields with
        {
            Version = fields.Version.HasValue ? fields.Version : Utf8Value.Of(default),
            Status = fields.Status.HasValue ? fields.Status : Utf8Value.Of(default),
            Error = error.HasValue ? error : reason,
        };
    }

    /// <summary>
    /// A date and time in ISO 8601, read as Herald's document parser reads <c>publishedAt</c> (without an offset: the host's time
    /// zone), or with a space for the <c>T</c> (<c>2026-03-04 08:00:00</c>, as DuckDB also reads it); anything else is no value.
    /// </summary>
    public static DateTimeOffset? Timestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String) return null;
        if (reader.TryGetDateTimeOffset(out var time)) return time;
        return DateTimeOffset.TryParseExact(reader.GetString(), SpacedForms, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var spaced) ? spaced : null;
    }

    private static readonly string[] SpacedForms =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd HH:mm:sszz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzz",
    ];

    /// <summary>A string's text, its escapes undone, copied into the arena; any other value is no text.</summary>
    private static Utf8Value Text(ref Utf8JsonReader reader, ByteArena arena)
    {
        if (reader.TokenType != JsonTokenType.String) return Utf8Value.None;
        if (!reader.ValueIsEscaped) return Utf8Value.Of(arena.Copy(reader.ValueSpan));
        // Undoing escapes never lengthens a string's UTF-8.
        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            return Utf8Value.Of(arena.Copy(rented.AsSpan(0, reader.CopyString(rented))));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The value's JSON as written, copied into the arena; JSON null is no value.</summary>
    private static Utf8Value Json(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ByteArena arena)
    {
        if (reader.TokenType == JsonTokenType.Null) return Utf8Value.None;
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Utf8Value.Of(arena.Copy(json[start..(int)reader.BytesConsumed]));
    }
}
