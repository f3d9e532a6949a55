using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Herald.Grains.Documents;
using Herald.Kafka.Embedded;
using Herald.Kafka.Publishing;

namespace Herald.Bench;

/// <summary>
/// The Kafka traffic of a Herald round without Herald: one consumer reads the input topic and, for each document,
/// produces the records Herald would (the same sizes, headers, producer settings and per-record delivery reports),
/// while the same observer waits for each <c>complete</c>. No Orleans, no engine: what the broker, the clients and
/// the observer cost on this machine, so that Herald's figures can be read against it.
/// </summary>
internal static class KafkaFloor
{
    private const int InputPartitions = 8;
    private const int CentralPartitions = 32;
    private static readonly string[] Nodes = ["a", "b", "c", "d", "e"];

    public static async Task<EndToEndResult> RunAsync(int documents, bool everyAnnotation)
    {
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic("herald.documents", InputPartitions);
        broker.CreateTopic("herald.annotations", CentralPartitions);
        var records = Records(everyAnnotation);
        using var stop = new CancellationTokenSource();
        long bytesRead = 0;
        var passThrough = KafkaBenchmark.OnOwnThread(() => bytesRead = PassThrough(broker.BootstrapServers, records, stop.Token));

        using var observer = new ConsumerBuilder<string, Ignore>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "bench-observer",
            FetchWaitMaxMs = 10,
            ConsumeResultFields = "headers",
        }).Build();
        observer.Assign(Enumerable.Range(0, CentralPartitions).Select(p => new TopicPartitionOffset("herald.annotations", p, Offset.Beginning)));

        var sent = new Dictionary<string, long>(documents);
        var start = ProcessUsage.Now();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build())
        {
            for (var i = 0; i < documents; i++)
            {
                var id = $"doc-{i}";
                sent[id] = Stopwatch.GetTimestamp();
                producer.Produce("herald.documents", new Message<string, byte[]> { Key = id, Value = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","text":"text"}""") });
            }
            producer.Flush();
        }
        var (elapsed, latencies) = await KafkaBenchmark.OnOwnThread(() => EndToEndResult.AwaitCompletions(observer, sent,
            record => record.Message.Headers.TryGetLastBytes(RecordHeaders.Event, out var type) && type.AsSpan().SequenceEqual("complete"u8)));
        var used = ProcessUsage.Now() - start;
        stop.Cancel();
        await passThrough;
        var name = everyAnnotation ? "Kafka only, records of emit all" : "Kafka only, records of emit complete";
        return EndToEndResult.From(name, documents, elapsed, latencies, bytesRead, used);
    }

    /// <summary>Reads every input message once and produces a document's records for it, as a silo does.</summary>
    private static long PassThrough(string bootstrap, (byte[] Value, Headers Headers)[] records, CancellationToken stop)
    {
        var settings = HeraldProducer.Settings();
        settings.BootstrapServers = bootstrap;
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(settings).Build();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "herald-bench",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
            ConsumeResultFields = "none",
        }).Build();
        consumer.Assign(Enumerable.Range(0, InputPartitions).Select(p => new TopicPartitionOffset("herald.documents", p, Offset.Beginning)));
        long failures = 0;
        Action<DeliveryReport<byte[]?, byte[]?>> delivered = report => { if (report.Error.IsError) Interlocked.Increment(ref failures); };
        long bytes = 0;
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } input) continue;
            bytes += input.Message.Key!.Length + input.Message.Value!.Length;
            foreach (var (value, headers) in records)
                producer.Produce("herald.annotations", new Message<byte[]?, byte[]?> { Key = input.Message.Key, Value = value, Headers = headers }, delivered);
        }
        producer.Flush();
        if (failures > 0) throw new InvalidOperationException($"{failures} records were not delivered");
        return bytes;
    }

    /// <summary>A document's records as Herald encodes them for the 5-node no-op DAG: one per annotation and the final one, or the final one only.</summary>
    private static (byte[] Value, Headers Headers)[] Records(bool everyAnnotation)
    {
        var now = DateTimeOffset.UtcNow;
        var document = new DocumentInput("doc-0", "text", null, """{"id":"doc-0","text":"text"}""");
        var annotations = Nodes.Select(n => new AnnotationRecord(n, "1.0.0", AnnotationStatus.Done, new AnnotationOutput("""{"ok":true}""", null), null, 0.042, 1, now)).ToArray();
        var pipeline = Encoding.UTF8.GetBytes("bench");
        var annotation = RecordHeaders.For(pipeline, "annotation"u8.ToArray());
        var complete = RecordHeaders.For(pipeline, "complete"u8.ToArray());
        var all = Enumerable.Range(1, Nodes.Length)
            .Select(n => (DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("bench", "v1", document, annotations[..n], DocumentStatus.Running, n, now, null)), annotation))
            .Append((DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("bench", "v1", document, annotations, DocumentStatus.Complete, Nodes.Length + 1, now, now)), complete))
            .ToArray();
        return everyAnnotation ? all : [all[^1]];
    }
}
