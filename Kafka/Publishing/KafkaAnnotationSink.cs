using Herald.Grains.Monitoring;
using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Herald.Grains.Documents;
using Herald.Grains.Publishing;
using Herald.Kafka.Hosting;

namespace Herald.Kafka.Publishing;

/// <summary>
/// Publishes document records to the central annotations topic, keyed by document id (so a document's
/// history stays in one partition, in order), with headers <c>herald-pipeline</c> and <c>herald-event</c>.
/// </summary>
internal sealed class KafkaAnnotationSink(HeraldProducer producer, KafkaConnection connection) : IAnnotationSink
{
    private static readonly byte[] AnnotationEvent = Encoding.UTF8.GetBytes(RecordEvents.Annotation);
    private static readonly byte[] CompleteEvent = Encoding.UTF8.GetBytes(RecordEvents.Complete);

    private readonly ConcurrentDictionary<string, (Headers Annotation, Headers Complete)> _headers = new(StringComparer.Ordinal);

    public bool PublishesEachAnnotation => connection.Options.Emit != EmissionMode.Complete;

    internal EmissionMode Emit => connection.Options.Emit;

    public IDocumentPublication Begin(string documentId) => new KafkaDocumentPublication(this, documentId);

    internal string Topic => connection.Options.AnnotationsTopic;

    internal IProducer<byte[]?, byte[]?> Producer => producer.Producer;

    /// <summary>
    /// The headers of a pipeline's records, one instance per pipeline and event: every record of every document
    /// carries the same two, and the producer only reads them.
    /// </summary>
    /// <summary>The record's headers; with the document run's trace context, a copy that carries it as <c>traceparent</c>.</summary>
    internal Headers Headers(string pipeline, bool complete, string? traceParent)
    {
        var shared = Headers(pipeline, complete);
        if (traceParent is null) return shared;
        var traced = new Headers();
        foreach (var header in shared) traced.Add(header.Key, header.GetValueBytes());
        traced.Add(HeraldTracing.TraceParentHeader, Encoding.UTF8.GetBytes(traceParent));
        return traced;
    }

    private Headers Headers(string pipeline, bool complete)
    {
        var (annotation, completion) = _headers.GetOrAdd(pipeline, static tag =>
        {
            var name = Encoding.UTF8.GetBytes(tag);
            return (CentralRecordHeaders.For(name, AnnotationEvent), CentralRecordHeaders.For(name, CompleteEvent));
        });
        return complete ? completion : annotation;
    }

    /// <summary>A record the broker refused: unpublishable when retrying cannot help (too large, invalid), else the error as is.</summary>
    internal Exception Refused(ProduceException<byte[]?, byte[]?> e, string documentId) =>
        Ingestion.InputDeadLetters.IsTooLarge(e.Error.Code) || e.Error.Code == ErrorCode.InvalidMsg
            ? new UnpublishableRecordException($"the record of document '{documentId}' cannot be published to {Topic}: {e.Error.Reason}", e)
            : e;
}

/// <summary>The headers of Herald's central-topic records (names in <see cref="Contracts.RecordHeaders"/>).</summary>
internal static class CentralRecordHeaders
{
    /// <summary>The headers of a central-topic record: its pipeline and its event (<c>annotation</c> or <c>complete</c>).</summary>
    public static Headers For(byte[] pipeline, byte[] @event) => new() { { RecordHeaders.Pipeline, pipeline }, { RecordHeaders.Event, @event } };
}
