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
/// A Herald silo on its own embedded broker, started once and measured for many rounds, as a running cluster is:
/// input topic -> the 5-node no-op DAG -> central topic, with a downstream consumer that tells each document's
/// completion by its <c>herald-event</c> header and never reads values.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private const int InputPartitions = 8;
    // The mock keeps about 5 MiB per partition, oldest first: spread the history so that what it drops has long been read.
    private const int CentralPartitions = 32;

    private readonly EmbeddedKafkaBroker _broker;
    private readonly IHost _host;
    private readonly IConsumer<string, Ignore> _observer;
    private readonly IProducer<string, byte[]> _producer;
    private readonly string _pipelines;
    private readonly EmissionMode _mode;
    private int _rounds;

    private BenchSilo(EmbeddedKafkaBroker broker, IHost host, IConsumer<string, Ignore> observer, IProducer<string, byte[]> producer, string pipelines, EmissionMode mode) =>
        (_broker, _host, _observer, _producer, _pipelines, _mode) = (broker, host, observer, producer, pipelines, mode);

    public string Name => $"Herald, emit {_mode.ToString().ToLowerInvariant()}";

    public static async Task<BenchSilo> StartAsync(EmissionMode mode)
    {
        var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic("herald.documents", InputPartitions);
        broker.CreateTopic("herald.annotations", CentralPartitions);
        broker.CreateTopic("herald.deadletter", 1);
        var pipelines = Directory.CreateTempSubdirectory("herald-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(pipelines, "bench.yaml"), DagBenchmark.Pipeline);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<AnnotatorKind>(NoopAnnotator.Kind);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: $"bench-{mode}", clusterId: $"bench-{mode}")
            .AddHerald(o => o.PipelinesPath = pipelines)
            .AddHeraldKafka(["bench"], o =>
            {
                o.BootstrapServers = broker.BootstrapServers;
                o.CreateTopics = false;
                o.Emit = mode;
            }));
        var host = builder.Build();
        await host.StartAsync();

        var observer = new ConsumerBuilder<string, Ignore>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "bench-observer",
            FetchWaitMaxMs = 10,
            ConsumeResultFields = "headers", // neither topic nor timestamp: a consumer that reads less costs less
        }).Build();
        observer.Assign(Enumerable.Range(0, CentralPartitions).Select(p => new TopicPartitionOffset("herald.annotations", p, Offset.Beginning)));
        observer.Pause(observer.Assignment); // fetching only during this silo's rounds: waiting, it would poll 100 times a second
        var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        return new BenchSilo(broker, host, observer, producer, pipelines, mode);
    }

    /// <summary>Produces <paramref name="documents"/> new documents at once and waits for all their completions.</summary>
    public async Task<EndToEndResult> RunAsync(int documents)
    {
        var round = ++_rounds;
        var sent = new Dictionary<string, long>(documents);
        long bytesProduced = 0;
        _observer.Resume(_observer.Assignment);
        var start = ProcessUsage.Now();
        for (var i = 0; i < documents; i++)
        {
            var id = $"r{round}-{i}";
            var value = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","text":"text"}""");
            bytesProduced += id.Length + value.Length;
            sent[id] = Stopwatch.GetTimestamp();
            _producer.Produce("herald.documents", new Message<string, byte[]> { Key = id, Value = value });
        }
        _producer.Flush();
        // The observer blocks on its consumer: on a thread of its own, not one of the pool the silo runs on.
        var (elapsed, latencies) = await KafkaBenchmark.OnOwnThread(() => EndToEndResult.AwaitCompletions(_observer, sent,
            record => record.Message.Headers.TryGetLastBytes("herald-event", out var type) && type.AsSpan().SequenceEqual("complete"u8)));
        var used = ProcessUsage.Now() - start;
        _observer.Pause(_observer.Assignment);
        // Herald reads each input message once per pipeline and never reads the central topic back.
        return EndToEndResult.From(Name, documents, elapsed, latencies, bytesProduced, used);
    }

    public async ValueTask DisposeAsync()
    {
        _producer.Dispose();
        _observer.Close();
        _observer.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        await _broker.DisposeAsync();
        Directory.Delete(_pipelines, recursive: true);
    }

    // Two silos run side by side in this process: each needs its own ports.
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
