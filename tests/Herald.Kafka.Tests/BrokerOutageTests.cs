using Herald.Kafka.Embedded;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>
/// The Kafka cluster going away mid-run loses nothing: documents that finish while it is down wait for their
/// records to be acknowledged, no offset is committed past what is durable, and everything completes once it is back.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task Documents_that_finish_while_the_broker_is_down_are_published_and_committed_once_it_is_back()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(2);
        await using var cluster = await OneSiloCluster.StartAsync(broker.BootstrapServers, _ => { });
        try
        {
            var kafka = new KafkaTestClient(broker.BootstrapServers);
            // Every document waits at the paused annotator with its other annotations published: all are in flight.
            await ClusterControl.SetPausedAsync(cluster.Client, "news", "money", paused: true);
            var before = Enumerable.Range(0, 100).Select(i => $"before-{i}").ToList();
            await kafka.ProduceDocumentsAsync(HeraldTopics.Input, before.Select(id => KafkaPipelineCluster.Document(id)));
            var annotated = kafka.ReadUntil(HeraldTopics.Annotations, rs => before.All(id => rs.Any(r => r.Message.Key == id)), TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(annotated, r => Header(r, "herald-event") == "complete");
            Assert.Equal(0, kafka.Committed("herald-news", HeraldTopics.Input, 2).Sum());

            // The broker goes down, then the documents are released and finish their runs while it is: their records can only wait.
            broker.SetDown(true);
            await ClusterControl.SetPausedAsync(cluster.Client, "news", "money", paused: false);
            await ClusterControl.UntilAsync(cluster.Client, silos => ClusterControl.Completed(silos, "news") == before.Count, "every run to finish while the broker is down");
            broker.SetDown(false);

            var after = Enumerable.Range(0, 50).Select(i => $"after-{i}").ToList();
            await kafka.ProduceDocumentsAsync(HeraldTopics.Input, after.Select(id => KafkaPipelineCluster.Document(id)));
            var ids = before.Concat(after).ToList();
            await kafka.AssertAllCompletedAndCommittedAsync(ids, "herald-news", 2, TimeSpan.FromSeconds(120));
            // Each document completed once: none was run again for want of an acknowledgement.
            var completes = kafka.ReadUntil(HeraldTopics.Annotations, _ => false, TimeSpan.FromSeconds(2)).Where(r => Header(r, "herald-event") == "complete");
            Assert.Equal(ids.Order(), completes.Select(r => r.Message.Key!).Order());
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }
}

/// <summary>The fault tests run one after another: each starts a silo and loads the machine in bursts, which is enough alongside the rest.</summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection
{
    public const string Name = "kafka faults";
}
