using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Herald.Annotators;
using Herald.Grains.Hosting;
using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>
/// End to end on the embedded broker: input topic -> 5-node no-op DAG -> central topic, in both emission modes,
/// next to the choreography Herald replaces (<see cref="Choreography"/>), in one run. Every round gets a fresh
/// broker, so the mock broker's per-partition retention never drops a record under measurement.
/// </summary>
public static class KafkaBenchmark
{
    private const int InputPartitions = 8;
    private const int CentralPartitions = 32; // the mock keeps ~5 MiB per partition: spread the history

    public static async Task RunAsync(int documents, int rounds, int warmUpDocuments)
    {
        Console.WriteLine($"End to end on the embedded broker, {documents:N0} documents per round, {rounds} rounds, {Environment.ProcessorCount} cores");
        // Warm-up, not reported. Tiered compilation keeps recompiling the hot path with what it profiled for the first
        // couple of hundred thousand documents through a process, and each round runs faster than the one before
        // until then (docs/BENCHMARKS.md has the curve). A long-running silo is long past it: measure that.
        Console.WriteLine($"warming up: {warmUpDocuments:N0} documents through Herald, then a choreography round");
        for (var warmed = 0; warmed < warmUpDocuments; warmed += 2 * documents)
        {
            await HeraldAsync(documents, EmissionMode.All);
            await HeraldAsync(documents, EmissionMode.Complete);
        }
        await ChoreographyAsync(documents);
        var results = new Dictionary<string, List<EndToEndResult>>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var result in new[]
            {
                await HeraldAsync(documents, EmissionMode.All),
                await HeraldAsync(documents, EmissionMode.Complete),
                await ChoreographyAsync(documents),
            })
            {
                Console.WriteLine($"  round {round}: {Format(result)}");
                (results.TryGetValue(result.Name, out var list) ? list : results[result.Name] = []).Add(result);
            }
        }
        Console.WriteLine("median of rounds:");
        var medians = results.Values.Select(EndToEndResult.Median).ToList();
        foreach (var median in medians) Console.WriteLine($"  {Format(median)}");
        var choreography = medians[^1];
        foreach (var herald in medians.SkipLast(1))
            Console.WriteLine($"  {herald.Name} vs choreography: {herald.DocumentsPerSecond / choreography.DocumentsPerSecond:0.0}x the throughput, {(double)choreography.BytesRead / herald.BytesRead:0.0}x fewer bytes read");
    }

    private static string Format(EndToEndResult r) =>
        $"{r.Name,-40} {r.DocumentsPerSecond,7:N0} documents/s   p50 {r.P50Ms,7:N1} ms   p99 {r.P99Ms,7:N1} ms   read {r.BytesRead / 1e6,5:N1} MB   " +
        $"per document: cpu {r.CpuUsPerDocument,3:N0} µs, allocated {r.AllocatedKbPerDocument,3:N0} KB   gc pauses {r.GcPausePercent,2:N0}%";

    private static async Task<EndToEndResult> HeraldAsync(int documents, EmissionMode mode)
    {
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic("herald.documents", InputPartitions);
        broker.CreateTopic("herald.annotations", CentralPartitions);
        broker.CreateTopic("herald.deadletter", 1);
        var folder = Directory.CreateTempSubdirectory("herald-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "bench.yaml"), DagBenchmark.Pipeline);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<AnnotatorKind>(NoopAnnotator.Kind);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering()
            .AddHerald(o => o.PipelinesPath = folder)
            .AddHeraldKafka(["bench"], o =>
            {
                o.BootstrapServers = broker.BootstrapServers;
                o.CreateTopics = false;
                o.Emit = mode;
            }));
        using var host = builder.Build();
        await host.StartAsync();

        // The observer tells completions by their header, as any downstream consumer can: it never reads the values.
        using var consumer = new ConsumerBuilder<string, Ignore>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "bench-observer",
            FetchWaitMaxMs = 10,
            ConsumeResultFields = "headers", // neither topic nor timestamp: a consumer that reads less costs less
        }).Build();
        consumer.Assign(Enumerable.Range(0, CentralPartitions).Select(p => new TopicPartitionOffset("herald.annotations", p, Offset.Beginning)));

        // A fresh silo compiles its code paths (dependency injection, serializers) as the first documents arrive:
        // a warm-up batch, then the measured one, as a long-running silo would see it.
        await ProduceAndAwaitAsync("warm-up", documents / 2);
        var (elapsed, latencies, bytesProduced, used) = await ProduceAndAwaitAsync("doc", documents);
        await host.StopAsync();
        Directory.Delete(folder, recursive: true);
        // Herald reads each input message once per pipeline and never reads the central topic back.
        return EndToEndResult.From($"Herald, emit {mode.ToString().ToLowerInvariant()}", documents, elapsed, latencies, bytesProduced, used);

        async Task<(TimeSpan Elapsed, List<double> Latencies, long BytesProduced, ProcessUsage Used)> ProduceAndAwaitAsync(string prefix, int count)
        {
            var sent = new Dictionary<string, long>(count);
            long bytesProduced = 0;
            var start = ProcessUsage.Now();
            using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build())
            {
                for (var i = 0; i < count; i++)
                {
                    var id = $"{prefix}-{i}";
                    var value = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","text":"text"}""");
                    bytesProduced += id.Length + value.Length;
                    sent[id] = Stopwatch.GetTimestamp();
                    producer.Produce("herald.documents", new Message<string, byte[]> { Key = id, Value = value });
                }
                producer.Flush();
            }
            // The observer blocks on its consumer: on a thread of its own, not one of the pool the silo runs on.
            var (elapsed, latencies) = await OnOwnThread(() => EndToEndResult.AwaitCompletions(consumer, sent,
                record => record.Message.Headers.TryGetLastBytes("herald-event", out var type) && Encoding.UTF8.GetString(type) == "complete"));
            return (elapsed, latencies, bytesProduced, ProcessUsage.Now() - start);
        }
    }

    private static async Task<EndToEndResult> ChoreographyAsync(int documents)
    {
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic("central", CentralPartitions);
        return await OnOwnThread(() => Choreography.Run(broker.BootstrapServers, "central", documents));
    }

    private static Task<T> OnOwnThread<T>(Func<T> blocking) =>
        Task.Factory.StartNew(blocking, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
