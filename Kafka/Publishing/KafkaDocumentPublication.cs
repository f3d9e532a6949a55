using System.Text;
using Confluent.Kafka;
using Herald.Grains.Documents;
using Herald.Grains.Publishing;
using Herald.Kafka.Hosting;

namespace Herald.Kafka.Publishing;

/// <summary>
/// One document run's records on their way to the central topic. Each is produced as it comes (one idempotent
/// producer and one key keep them in order); delivery reports count them down, so the run waits once, at the end,
/// instead of once per record.
/// </summary>
internal sealed class KafkaDocumentPublication : IDocumentPublication
{
    private readonly KafkaAnnotationSink _sink;
    private readonly string _documentId;
    private readonly byte[] _key;
    private readonly DocumentSnapshotJson.RecordParts? _parts; // only worth keeping when every annotation publishes a record
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _delivered;
    private readonly TaskCompletionSource _durable = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending = 1; // the final record's hold: nothing completes before it is produced
    private Exception? _failure;

    public KafkaDocumentPublication(KafkaAnnotationSink sink, string documentId)
    {
        _sink = sink;
        _documentId = documentId;
        _key = Encoding.UTF8.GetBytes(documentId);
        _parts = sink.Emit == EmissionMode.All ? new() : null;
        _delivered = OnDelivered;
    }

    public void Annotated(DocumentSnapshot snapshot) => Produce(snapshot, complete: false);

    public Task CompletedAsync(DocumentSnapshot snapshot)
    {
        Produce(snapshot, complete: true);
        Release();
        return _durable.Task;
    }

    private void Produce(DocumentSnapshot snapshot, bool complete)
    {
        Interlocked.Increment(ref _pending);
        try
        {
            var record = new Message<byte[]?, byte[]?>
            {
                Key = _key,
                Value = !complete && _sink.Emit == EmissionMode.Deltas ? DocumentSnapshotJson.DeltaToUtf8(snapshot) : DocumentSnapshotJson.ToUtf8(snapshot, _parts),
                Headers = _sink.Headers(snapshot.PipelineTag, complete, snapshot.Document.TraceParent),
            };
            _sink.Producer.Produce(_sink.Topic, record, _delivered);
        }
        catch (ProduceException<byte[]?, byte[]?> e)
        {
            Fail(_sink.Refused(e, _documentId));
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    // On librdkafka's delivery thread: count down, nothing more.
    private void OnDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError) Fail(_sink.Refused(new ProduceException<byte[]?, byte[]?>(report.Error, report), _documentId));
        else Release();
    }

    private void Fail(Exception failure)
    {
        Interlocked.CompareExchange(ref _failure, failure, null);
        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) != 0) return;
        if (_failure is { } failure) _durable.TrySetException(failure);
        else _durable.TrySetResult();
    }
}
