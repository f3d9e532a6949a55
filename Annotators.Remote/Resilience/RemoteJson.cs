using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Annotators.Remote.Resilience;

/// <summary>
/// The JSON that remote annotators exchange, one definition for the http and kafka kinds: the request
/// <c>{"document", "dependencies": {name: {"version", "value"}}}</c> and the answer <c>{"value", "spans"}</c> (or <c>{"error"}</c>).
/// </summary>
internal static class RemoteJson
{
    /// <param name="envelope">Fields written before the document (a Kafka request's correlation id and annotator).</param>
    public static byte[] Request(AnnotatorInput input, Action<Utf8JsonWriter>? envelope = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            envelope?.Invoke(writer);
            writer.WritePropertyName("document");
            input.Document.Root.WriteTo(writer);
            writer.WriteStartObject("dependencies");
            foreach (var (name, result) in input.Dependencies)
            {
                writer.WriteStartObject(name);
                writer.WriteString("version", result.Version);
                writer.WritePropertyName("value");
                result.Value.WriteTo(writer);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads an answer; <paramref name="from"/> says who answered, in every error.</summary>
    public static Annotation Answer(byte[] body, string from)
    {
        JsonObject answer;
        try
        {
            answer = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the answer is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new RemoteCallException($"{from} answered something that is not {{\"value\": ...}}: {e.Message} ({Preview(body)})");
        }
        if (answer["error"] is JsonValue error && error.TryGetValue<string>(out var message))
            throw new RemoteCallException($"{from} reported an error: {message}");
        if (!answer.ContainsKey("value"))
            throw new RemoteCallException($"{from} answered without a 'value' ({Preview(body)})");
        IReadOnlyList<AnnotationSpan>? spans = null;
        if (answer["spans"] is { } spansNode)
        {
            try
            {
                spans = spansNode.Deserialize<AnnotationSpan[]>();
            }
            catch (JsonException e)
            {
                throw new RemoteCallException($"{from} answered 'spans' that are not [{{\"start\", \"end\", \"label\", \"score\"}}]: {e.Message}");
            }
        }
        return new Annotation(answer["value"]?.DeepClone(), spans);
    }

    private static string Preview(byte[] body) => body.Length <= 200 ? Encoding.UTF8.GetString(body) : Encoding.UTF8.GetString(body, 0, 200) + "…";
}
