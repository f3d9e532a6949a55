using System.Text.Json;

namespace Herald.Grains.Documents;

/// <summary>
/// Writes the central-topic record for a snapshot (the contract in README.md):
/// <c>{"id","pipeline":{"tag","version"},"document":{...},"annotations":{"name":{...}},"status","sequence"}</c>.
/// Values, spans and the document are spliced in as the raw JSON they already are.
/// </summary>
public static class DocumentSnapshotJson
{
    public static byte[] ToUtf8(DocumentSnapshot snapshot, bool indented = false)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            Write(writer, snapshot);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, DocumentSnapshot snapshot)
    {
        writer.WriteStartObject();
        writer.WriteString("id", snapshot.Id);
        writer.WriteStartObject("pipeline");
        writer.WriteString("tag", snapshot.PipelineTag);
        writer.WriteString("version", snapshot.PipelineVersion);
        writer.WriteEndObject();
        writer.WritePropertyName("document");
        writer.WriteRawValue(snapshot.Document.Json, skipInputValidation: true);
        writer.WriteStartObject("annotations");
        foreach (var annotation in snapshot.Annotations)
        {
            writer.WriteStartObject(annotation.Name);
            writer.WriteString("version", annotation.Version);
            writer.WriteString("status", annotation.Status.ToString().ToLowerInvariant());
            writer.WritePropertyName("value");
            if (annotation.Output is { } output) writer.WriteRawValue(output.ValueJson, skipInputValidation: true);
            else writer.WriteNullValue();
            if (annotation.Output?.SpansJson is { } spans)
            {
                writer.WritePropertyName("spans");
                writer.WriteRawValue(spans, skipInputValidation: true);
            }
            if (annotation.Detail is { } detail)
                writer.WriteString(annotation.Status == AnnotationStatus.Skipped ? "reason" : "error", detail);
            writer.WriteNumber("durationMs", Math.Round(annotation.DurationMs, 3));
            writer.WriteNumber("attempts", annotation.Attempts);
            writer.WriteString("at", annotation.At);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteString("status", snapshot.Status.ToString().ToLowerInvariant());
        writer.WriteNumber("sequence", snapshot.Sequence);
        writer.WriteEndObject();
    }
}
