using Herald.Contracts;
using Herald.Grains.Hosting;
using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;
using Orleans.Configuration;
using Orleans.TestingHost;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>
/// A pause has no deadline, but each input document's run is one Orleans call from the stream's pulling agent to its
/// grain, and Orleans gives up on a call after its response timeout. Documents held at a paused annotator for several
/// times that long must all complete once it resumes, each exactly once, and the partition's commit must follow.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class LongPauseTests
{
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Documents_held_longer_than_the_call_timeout_complete_once_when_resumed()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(1);
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        var folder = Directory.CreateTempSubdirectory("herald-pause-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "held.yaml"), """
            pipeline: held
            annotators:
              - { name: money, version: 1.0.0, kind: money, timeout: 1s }
              - { name: dates, version: 1.0.0, kind: dates, timeout: 1s, requires: [money@^1] }
            """);

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout)
            .AddHerald(o => o.PipelinesPath = folder).AddHeraldKinds(Herald.Annotators.Onnx.ModelKinds.All)
            .AddHeraldKafka(o =>
            {
                o.BootstrapServers = broker.BootstrapServers;
                o.SessionTimeout = TimeSpan.FromSeconds(3); // a silo that dies unannounced loses its partitions this fast
                o.Emit = EmissionMode.Complete;
            }));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            await ClusterControl.SetPausedAsync(cluster.Client, "held", "dates", paused: true);

            var ids = Enumerable.Range(0, 20).Select(i => $"held-{i}").ToList();
            await kafka.ProduceDocumentsAsync(HeraldTopics.Input, ids.Select(id => KafkaPipelineCluster.Document(id)));
            var held = kafka.ReadUntil(HeraldTopics.Annotations, _ => false, 3 * ResponseTimeout);
            Assert.Empty(held);
            Assert.Equal(0, kafka.Committed("herald-held", HeraldTopics.Input, 1)[0]);

            await ClusterControl.SetPausedAsync(cluster.Client, "held", "dates", paused: false);
            var records = kafka.ReadUntil(HeraldTopics.Annotations, rs => ids.All(id => rs.Any(r => r.Message.Key == id)), TimeSpan.FromSeconds(60));
            await WaitUntilAsync(() => kafka.Committed("herald-held", HeraldTopics.Input, 1)[0] == ids.Count, TimeSpan.FromSeconds(30));
            // Redeliveries the pulling agent made while the runs were held find them complete: nothing runs or publishes twice.
            records = kafka.ReadUntil(HeraldTopics.Annotations, _ => false, TimeSpan.FromSeconds(3));
            Assert.Equal(ids.Order(), records.Select(r => r.Message.Key!).Order());
            Assert.All(records, r => Assert.Equal("complete", Header(r, "herald-event")));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
