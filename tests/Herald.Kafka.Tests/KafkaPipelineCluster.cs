using System.Text.Json.Nodes;
using Herald.Grains.Hosting;
using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;
using Orleans.TestingHost;

namespace Herald.Kafka.Tests;

/// <summary>
/// A Kafka-protocol broker in the test process and a real two-silo Orleans cluster reading it as it would read
/// an external cluster, with two pipelines over the same input topic: <c>news</c> reads live (from the end),
/// <c>backfill</c> from the earliest offset. <see cref="HistoricalIds"/> were produced before the silos started.
/// </summary>
public sealed class KafkaPipelineCluster : IAsyncLifetime
{
    public const int Partitions = 4;
    public const int MaxMessageBytes = 4000;
    public const string Input = HeraldTopics.Input;
    public const string Annotations = HeraldTopics.Annotations;
    public const string DeadLetters = HeraldTopics.DeadLetters;

    private readonly string _pipelines = RulesPipeline.Folder("news", "backfill");

    public EmbeddedKafkaBroker Broker { get; } = new();
    public KafkaTestClient Kafka => new(Broker.BootstrapServers);
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IReadOnlyList<string> HistoricalIds { get; } = Enumerable.Range(0, 5).Select(i => $"historical-{i}").ToList();

    public async Task InitializeAsync()
    {
        Broker.WithHeraldTopics(Partitions);
        await Kafka.ProduceDocumentsAsync(Input, HistoricalIds.Select(id => Document(id)));

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo
            .AddHerald(o => o.PipelinesPath = _pipelines).AddHeraldKinds(Herald.Annotators.Onnx.ModelKinds.All)
            .AddHeraldKafka(o =>
            {
                o.BootstrapServers = Broker.BootstrapServers;
                o.SessionTimeout = TimeSpan.FromSeconds(3); // a silo that dies unannounced loses its partitions this fast
                o.MaxMessageBytes = MaxMessageBytes;
                o.Pipelines["news"] = new PipelineConsumerOptions { StartFrom = StartPosition.Latest };
                o.Pipelines["backfill"] = new PipelineConsumerOptions { StartFrom = StartPosition.Earliest };
            }));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await WaitForReadersAsync("herald-news");
    }

    /// <summary>Readers commit their start position when they first take a partition: then "latest" is fixed.</summary>
    private async Task WaitForReadersAsync(string group)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Kafka.Committed(group, Input, Partitions).Any(o => o < 0))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"consumer group {group} did not take all {Partitions} partitions");
            await Task.Delay(200);
        }
    }

    public static JsonObject Document(string id, string? text = null) => new()
    {
        ["id"] = id,
        ["title"] = "Quillfeather raises $12M",
        ["text"] = text ?? "Quillfeather Labs raised $12 million in a Series A round led by Northgate Ventures on March 3, 2026.",
        ["source"] = "Harbor Ledger",
        ["publishedAt"] = "2026-03-04T08:00:00Z",
        ["extra"] = new JsonObject { ["nested"] = true, ["list"] = new JsonArray(1, 2) },
    };

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Broker.DisposeAsync();
        Directory.Delete(_pipelines, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class KafkaPipelineCollection : ICollectionFixture<KafkaPipelineCluster>
{
    public const string Name = "kafka pipeline cluster";
}
