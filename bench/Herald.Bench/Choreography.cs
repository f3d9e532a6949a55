using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Herald.Contracts;
using Herald.Kafka.Publishing;

namespace Herald.Bench;

/// <summary>
/// The architecture Herald replaces: every annotator is an independent Kafka consumer and producer on one
/// central topic. Each reads every record, remembers which annotations each document has, ignores records
/// until its own dependencies are there, then publishes its annotation. The same DAG as Herald's, the same no-op work.
/// </summary>
public static class Choreography
{
    public static EndToEndResult Run(string bootstrap, string topic, int documents, NoopDag dag)
    {
        using var stop = new CancellationTokenSource();
        long bytesRead = 0;
        var annotators = dag.Nodes.Select(node => Task.Factory.StartNew(() =>
        {
            // The first layer's annotators wait for the document itself.
            var read = RunAnnotator(bootstrap, topic, node.Name, node.Requires.Length == 0 ? ["input"] : node.Requires, stop.Token);
            Interlocked.Add(ref bytesRead, read);
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Documents enter as "input" events on the central topic; a document is done when the last node's annotation is published.
        var sent = new Dictionary<string, long>(documents);
        ProcessUsage start;
        using var consumer = Consumer(bootstrap, "choreography-observer", topic);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5 }).Build())
        {
            Thread.Sleep(2000); // let every annotator's consumer take its partitions
            start = ProcessUsage.Now();
            for (var i = 0; i < documents; i++)
            {
                var id = $"doc-{i}";
                sent[id] = Stopwatch.GetTimestamp();
                producer.Produce(topic, new Message<string, byte[]> { Key = id, Value = Event(id, "input") });
            }
            producer.Flush();
        }
        var (elapsed, latencies) = EndToEndResult.AwaitCompletions(consumer, sent,
            record => JsonDocument.Parse(record.Message.Value).RootElement.GetProperty("name").GetString() == dag.Last);
        var used = ProcessUsage.Now() - start;
        stop.Cancel();
        Task.WaitAll(annotators);
        return EndToEndResult.From($"choreography ({dag.Size} independent consumers)", documents, elapsed, latencies, bytesRead, used);
    }

    private static long RunAnnotator(string bootstrap, string topic, string name, string[] requires, CancellationToken stop)
    {
        var seen = new Dictionary<string, HashSet<string>>();
        long bytes = 0;
        using var consumer = Consumer(bootstrap, $"choreography-{name}", topic);
        // Herald's own producer settings, so both systems pay the same for a record.
        var settings = HeraldProducer.Settings();
        settings.BootstrapServers = bootstrap;
        using var producer = new ProducerBuilder<string, byte[]>(settings).Build();
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } record) continue;
            bytes += Encoding.UTF8.GetByteCount(record.Message.Key) + record.Message.Value.Length;
            var eventName = JsonDocument.Parse(record.Message.Value).RootElement.GetProperty("name").GetString()!;
            if (!seen.TryGetValue(record.Message.Key, out var names)) seen[record.Message.Key] = names = [];
            if (!names.Add(eventName) || names.Contains(name) || !requires.All(names.Contains)) continue;
            names.Add(name);
            producer.Produce(topic, new Message<string, byte[]> { Key = record.Message.Key, Value = Event(record.Message.Key, name) });
        }
        producer.Flush();
        return bytes;
    }

    private static IConsumer<string, byte[]> Consumer(string bootstrap, string group, string topic)
    {
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 10,
            ConsumeResultFields = "none", // key and value only, as Herald's observer reads key and headers only
        }).Build();
        consumer.Subscribe(topic);
        return consumer;
    }

    private static byte[] Event(string id, string name) =>
        JsonSerializer.SerializeToUtf8Bytes(new { id, name, value = new { ok = true } });
}
