using System.Text.Json;

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
/// Reads an incoming document: a JSON object with a string <c>text</c> and an <c>id</c> (or an id supplied
/// from outside, such as the Kafka key). Everything else is kept verbatim.
/// </summary>
public static class DocumentParser
{
    public static DocumentInput Parse(ReadOnlySpan<byte> utf8Json, string? idOverride = null)
    {
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

            var id = idOverride is { Length: > 0 } ? idOverride : OptionalString(root, "id");
            if (string.IsNullOrWhiteSpace(id))
                throw new InvalidDocumentException("missing document id: set the message key or an 'id' field");
            var text = OptionalString(root, "text");
            if (string.IsNullOrWhiteSpace(text))
                throw new InvalidDocumentException("missing 'text': a document needs a non-empty string 'text'");
            if (root.TryGetProperty("publishedAt", out var published) && !(published.ValueKind == JsonValueKind.String && published.TryGetDateTimeOffset(out _)))
                throw new InvalidDocumentException("'publishedAt' must be an ISO-8601 date-time string");
            return new DocumentInput(id, text, OptionalString(root, "title"), root.GetRawText());
        }
    }

    public static DocumentInput Parse(string json, string? idOverride = null) =>
        Parse(System.Text.Encoding.UTF8.GetBytes(json), idOverride);

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidDocumentException($"'{name}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
    }
}
