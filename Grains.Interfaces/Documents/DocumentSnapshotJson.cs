using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Herald.Grains.Documents;

/// <summary>
/// Writes the central-topic record for a snapshot (the contract in README.md):
/// <c>{"id","pipeline":{"tag","version"},"status","sequence","completedAt","document":{...},"annotations":{"name":{...}}}</c>.
/// Values, spans and the document are spliced in as the raw JSON they already are.
/// </summary>
public static class DocumentSnapshotJson
{
    // Every annotation of a document publishes a record: reuse buffers and writers per thread (writes are synchronous).
    // A record and the annotation it encodes midway each need their own.
    [ThreadStatic] private static ArrayBufferWriter<byte>? _recordBuffer;
    [ThreadStatic] private static Utf8JsonWriter? _recordWriter;
    [ThreadStatic] private static ArrayBufferWriter<byte>? _partBuffer;
    [ThreadStatic] private static Utf8JsonWriter? _partWriter;

    /// <param name="parts">The parts earlier records of the same document encoded; null encodes everything afresh.</param>
    public static byte[] ToUtf8(DocumentSnapshot snapshot, RecordParts? parts = null) =>
        Encode(ref _recordBuffer, ref _recordWriter, (snapshot, parts), static (writer, state) => Write(writer, state.snapshot, state.parts));

    /// <summary>
    /// The record of one annotation alone (emission mode <c>Deltas</c>): the document's id, pipeline and sequence, and under
    /// <c>annotations</c> only the latest one. The <c>complete</c> record still carries the whole state.
    /// </summary>
    public static byte[] DeltaToUtf8(DocumentSnapshot snapshot) =>
        Encode(ref _recordBuffer, ref _recordWriter, snapshot, static (writer, snapshot) =>
        {
            writer.WriteStartObject();
            WriteHead(writer, snapshot);
            writer.WriteStartObject("annotations");
            var annotation = snapshot.Annotations[^1];
            writer.WritePropertyName(annotation.Name);
            WriteAnnotation(writer, annotation);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    // What a record is comes before what it carries: a consumer that wants only complete records (the warehouse) or only the
    // keys reads a few dozen bytes and stops, rather than reading past the document and every annotation.
    private static void WriteHead(Utf8JsonWriter writer, DocumentSnapshot snapshot)
    {
        writer.WriteString("id", snapshot.Id);
        writer.WriteStartObject("pipeline");
        writer.WriteString("tag", snapshot.PipelineTag);
        writer.WriteString("version", snapshot.PipelineVersion);
        writer.WriteEndObject();
        writer.WriteString("status", snapshot.Status == DocumentStatus.Complete ? "complete" : "running");
        writer.WriteNumber("sequence", snapshot.Sequence);
        if (snapshot.CompletedAt is { } completedAt) writer.WriteString("completedAt", completedAt);
    }

    private static void Write(Utf8JsonWriter writer, DocumentSnapshot snapshot, RecordParts? parts)
    {
        writer.WriteStartObject();
        WriteHead(writer, snapshot);
        writer.WritePropertyName("document");
        if (parts is null) writer.WriteRawValue(snapshot.Document.Json, skipInputValidation: true);
        else writer.WriteRawValue(parts.Document(snapshot.Document), skipInputValidation: true);
        writer.WriteStartObject("annotations");
        for (var i = 0; i < snapshot.Annotations.Length; i++)
        {
            var annotation = snapshot.Annotations[i];
            writer.WritePropertyName(annotation.Name);
            if (parts is null) WriteAnnotation(writer, annotation);
            else writer.WriteRawValue(parts.Annotation(i, annotation), skipInputValidation: true);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAnnotation(Utf8JsonWriter writer, AnnotationRecord annotation)
    {
        writer.WriteStartObject();
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
        if (annotation.Reused) writer.WriteBoolean("reused", true);
        writer.WriteEndObject();
    }

    private static byte[] Encode<TState>(ref ArrayBufferWriter<byte>? buffer, ref Utf8JsonWriter? writer, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var reused = buffer ??= new ArrayBufferWriter<byte>(4096);
        var json = writer ??= new Utf8JsonWriter(reused);
        reused.ResetWrittenCount();
        json.Reset(reused);
        write(json, state);
        json.Flush();
        var bytes = reused.WrittenSpan.ToArray();
        if (reused.Capacity > 256 * 1024) (buffer, writer) = (null, null); // keep no huge buffer for good
        return bytes;
    }

    /// <summary>
    /// What one document's records repeat: every record carries the document as received and all annotations so
    /// far, so each is encoded once, by the first record that carries it, and copied into the later ones.
    /// </summary>
    public sealed class RecordParts
    {
        private string? _documentJson;
        private byte[] _document = [];
        private readonly List<(AnnotationRecord Annotation, byte[] Utf8)> _annotations = [];

        internal byte[] Document(DocumentInput document)
        {
            if (!ReferenceEquals(_documentJson, document.Json))
                (_documentJson, _document) = (document.Json, Encoding.UTF8.GetBytes(document.Json));
            return _document;
        }

        // Annotations only ever append: the one at an index is the same record in every later snapshot.
        internal byte[] Annotation(int index, AnnotationRecord annotation)
        {
            if (index < _annotations.Count && ReferenceEquals(_annotations[index].Annotation, annotation)) return _annotations[index].Utf8;
            var utf8 = Encode(ref _partBuffer, ref _partWriter, annotation, static (writer, a) => WriteAnnotation(writer, a));
            if (index < _annotations.Count) _annotations[index] = (annotation, utf8);
            else if (index == _annotations.Count) _annotations.Add((annotation, utf8));
            return utf8;
        }
    }
}
