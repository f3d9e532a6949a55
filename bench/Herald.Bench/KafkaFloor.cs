using System.Text;
using Confluent.Kafka;
using EmissionMode = Herald.Contracts.EmissionMode;
using Herald.Grains.Documents;
using Herald.Kafka.Hosting;
using Herald.Kafka.Publishing;

namespace Herald.Bench;

/// <summary>
/// The Kafka traffic of a Herald round without Herald: one consumer reads the input topic and, for each document,
/// produces the records Herald would (the same sizes, headers, producer settings and per-record delivery reports),
/// while the same observer waits for each <c>complete</c>. No Orleans, no engine: what the broker, the clients and
/// the observer cost on this machine, so that Herald's figures can be read against it. Started once and measured
/// round after round on its own <see cref="RoundTraffic"/>, like <see cref="BenchSilo"/>.
/// </summary>
internal sealed class KafkaFloor : IAsyncDisposable
{

    private readonly RoundTraffic _traffic = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _passThrough;
    private volatile (byte[] Value, Headers Headers)[] _records = [];
    private long _bytesRead;
    private long _failures;

    private KafkaFloor() => _passThrough = KafkaBenchmark.OnOwnThread(PassThrough);

    public static KafkaFloor Start() => new();

    /// <summary>Produces <paramref name="documents"/> new documents at once and waits for all their completions.</summary>
    public async Task<EndToEndResult> RunAsync(int documents, EmissionMode mode, NoopDag dag)
    {
        _records = Records(mode, dag);
        var readBefore = Interlocked.Read(ref _bytesRead);
        var (elapsed, latencies, _, used) = await _traffic.RunAsync(documents);
        if (Interlocked.Read(ref _failures) > 0) throw new InvalidOperationException($"{_failures} records were not delivered");
        var name = $"Kafka only, records of emit {mode.ToString().ToLowerInvariant()}";
        return EndToEndResult.From(name, documents, elapsed, latencies, Interlocked.Read(ref _bytesRead) - readBefore, used);
    }

    /// <summary>Reads every input message once and produces a document's records for it, as a silo does.</summary>
    private bool PassThrough()
    {
        var settings = HeraldProducer.Settings();
        settings.BootstrapServers = _traffic.Broker.BootstrapServers;
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(settings).Build();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = _traffic.Broker.BootstrapServers,
            GroupId = "herald-bench",
            FetchWaitMaxMs = 50,
            ConsumeResultFields = "none",
        }).Build();
        consumer.Assign(Enumerable.Range(0, RoundTraffic.InputPartitions).Select(p => new TopicPartitionOffset("herald.documents", p, Offset.Beginning)));
        Action<DeliveryReport<byte[]?, byte[]?>> delivered = report => { if (report.Error.IsError) Interlocked.Increment(ref _failures); };
        while (!_stopping.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } input) continue;
            Interlocked.Add(ref _bytesRead, input.Message.Key!.Length + input.Message.Value!.Length);
            foreach (var (value, headers) in _records)
                producer.Produce("herald.annotations", new Message<byte[]?, byte[]?> { Key = input.Message.Key, Value = value, Headers = headers }, delivered);
        }
        producer.Flush();
        return true;
    }

    /// <summary>A document's records as Herald encodes them for a no-op DAG in an emission mode: one per annotation (none with Complete), then the final one.</summary>
    private static (byte[] Value, Headers Headers)[] Records(EmissionMode mode, NoopDag dag)
    {
        var nodes = dag.Nodes.Select(n => n.Name).ToArray();
        var now = DateTimeOffset.UtcNow;
        var document = new DocumentInput("doc-0", "text", null, """{"id":"doc-0","text":"text"}""");
        var annotations = nodes.Select(n => new AnnotationRecord(n, "1.0.0", AnnotationStatus.Done, new AnnotationOutput("""{"ok":true}""", null), null, 0.042, 1, now)).ToArray();
        var pipeline = Encoding.UTF8.GetBytes("bench");
        var annotation = CentralRecordHeaders.For(pipeline, "annotation"u8.ToArray());
        var complete = CentralRecordHeaders.For(pipeline, "complete"u8.ToArray());
        DocumentSnapshot Running(int n) => new("bench", "v1", document, annotations[..n], DocumentStatus.Running, n, now, null);
        return Enumerable.Range(1, mode == EmissionMode.Complete ? 0 : nodes.Length)
            .Select(n => (mode == EmissionMode.Deltas ? DocumentSnapshotJson.DeltaToUtf8(Running(n)) : DocumentSnapshotJson.ToUtf8(Running(n)), annotation))
            .Append((DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("bench", "v1", document, annotations, DocumentStatus.Complete, nodes.Length + 1, now, now)), complete))
            .ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _passThrough;
        await _traffic.DisposeAsync();
    }
}
