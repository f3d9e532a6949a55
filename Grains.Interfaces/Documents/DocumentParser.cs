using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Herald.Grains.Documents;

/// <summary>Why an incoming message is not a document; the text is the dead-letter reason.</summary>
[GenerateSerializer, Alias("herald.invalid-document")]
public sealed class InvalidDocumentException : Exception
{
    public InvalidDocumentException(string reason) : base(reason)
    {
    }
}

/// <summary>
/// Reads an incoming document: a JSON object in UTF-8 with a string <c>text</c> and an <c>id</c> (or an id supplied
/// from outside, such as the Kafka key). The known fields are typed (<c>id</c>, <c>text</c> and <see cref="StringFields"/> are strings,
/// <c>publishedAt</c> an ISO-8601 date-time, <c>metadata</c> an object); everything else is kept verbatim.
/// Whatever the bytes, the only exception it throws is <see cref="InvalidDocumentException"/>.
/// </summary>
public static class DocumentParser
{
    /// <summary>Known optional fields that must be strings (or null) when present; <c>id</c> and <c>text</c> are checked on their own.</summary>
    public static readonly string[] StringFields = ["title", "source", "url"];

    public static DocumentInput Parse(ReadOnlySpan<byte> utf8Json, string? idOverride = null)
    {
        if (TextProblem(utf8Json) is { } problem) throw new InvalidDocumentException(problem);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDocumentException($"not valid JSON: {e.Message}");
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDocumentException($"a document must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");

            foreach (var field in StringFields) OptionalString(root, field);
            var id = idOverride is { Length: > 0 } ? idOverride : OptionalString(root, "id");
            if (string.IsNullOrWhiteSpace(id))
                throw new InvalidDocumentException("missing document id: set the message key or an 'id' field");
            var text = OptionalString(root, "text");
            if (string.IsNullOrWhiteSpace(text))
                throw new InvalidDocumentException("missing 'text': a document needs a non-empty string 'text'");
            if (root.TryGetProperty("publishedAt", out var published) && !(published.ValueKind == JsonValueKind.String && published.TryGetDateTimeOffset(out _)))
                throw new InvalidDocumentException("'publishedAt' must be an ISO-8601 date-time string");
            if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                throw new InvalidDocumentException($"'metadata' must be an object, not {metadata.ValueKind.ToString().ToLowerInvariant()}");
            return new DocumentInput(id, text, OptionalString(root, "title"), root.GetRawText());
        }
    }

    public static DocumentInput Parse(string json, string? idOverride = null) =>
        Parse(Encoding.UTF8.GetBytes(json), idOverride);

    /// <summary>
    /// Reads an input message: its key (UTF-8, the document id when present) and its value (the document), which may
    /// be at most <paramref name="maxBytes"/> long.
    /// </summary>
    public static DocumentInput ParseMessage(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, int maxBytes)
    {
        if (value.IsEmpty) throw new InvalidDocumentException("empty message: a document must be a JSON object");
        if (value.Length > maxBytes) throw new InvalidDocumentException($"message of {value.Length} bytes exceeds the limit of {maxBytes} bytes");
        if (!Utf8.IsValid(key)) throw new InvalidDocumentException("the message key is not UTF-8: it must be the document id");
        return Parse(value, key.IsEmpty ? null : Encoding.UTF8.GetString(key));
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidDocumentException($"'{name}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    /// <summary>
    /// Why JSON bytes are not text, or null: they must be UTF-8 (checked whole, since System.Text.Json notices invalid
    /// UTF-8 inside a string only when it decodes it), and every escaped string and property name must decode to valid
    /// UTF-16 (a lone surrogate, <c>"\ud800"</c>, is valid JSON syntax but no text, and strict readers downstream of the
    /// central topic would fail on it). The escapes are checked only in JSON that parses.
    /// </summary>
    public static string? TextProblem(ReadOnlySpan<byte> utf8Json)
    {
        if (!Utf8.IsValid(utf8Json)) return $"not UTF-8: the byte at offset {FirstInvalidUtf8(utf8Json)} does not start a valid UTF-8 sequence";
        return utf8Json.IndexOf("\\u"u8) >= 0 ? InvalidEscape(utf8Json) : null;
    }

    private static string? InvalidEscape(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
                var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                if (buffer is null || buffer.Length < length)
                {
                    if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
                    buffer = ArrayPool<char>.Shared.Rent(length);
                }
                try
                {
                    reader.CopyString(buffer);
                }
                catch (InvalidOperationException)
                {
                    return $"a string ending at byte {reader.BytesConsumed} holds an escape that is not valid Unicode (a lone surrogate such as \\ud800)";
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return null; // not JSON at all: the parser says where
        }
        finally
        {
            if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }
}
