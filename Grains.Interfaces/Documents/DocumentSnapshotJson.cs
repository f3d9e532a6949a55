using System.Buffers;
using System.Text.Json;

namespace Herald.Grains.Documents;

/// <summary>
/// Writes the central-topic record for a snapshot (the contract in README.md):
/// <c>{"id","pipeline":{"tag","version"},"document":{...},"annotations":{"name":{...}},"status","sequence"}</c>.
/// Values, spans and the document are spliced in as the raw JSON they already are.
/// </summary>
public static class DocumentSnapshotJson
{
    // Every annotation of a document publishes a record: reuse one buffer and writer per thread (the write is synchronous).
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static byte[] ToUtf8(DocumentSnapshot snapshot, bool indented = false)
    {
        if (indented)
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var indentedWriter = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                Write(indentedWriter, snapshot);
            return buffer.WrittenSpan.ToArray();
        }
        var reused = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(reused);
        reused.ResetWrittenCount();
        writer.Reset(reused);
        Write(writer, snapshot);
        writer.Flush();
        var record = reused.WrittenSpan.ToArray();
        if (reused.Capacity > 256 * 1024) (t_buffer, t_writer) = (null, null); // keep no huge buffer for good
        return record;
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
            writer.WriteString("status", annotation.Status.Name());
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
        writer.WriteString("status", snapshot.Status == DocumentStatus.Complete ? "complete" : "running");
        writer.WriteNumber("sequence", snapshot.Sequence);
        writer.WriteEndObject();
    }
}
