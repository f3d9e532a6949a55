using Herald.Contracts;
using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

public sealed class EmissionModeTests
{
    [Fact]
    public async Task Complete_only_emission_publishes_one_record_per_document()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(2);
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        var ids = Enumerable.Range(0, 10).Select(i => $"quiet-{i}").ToList();
        await kafka.ProduceDocumentsAsync("herald.documents", ids.Select(id => KafkaPipelineCluster.Document(id)));

        await using var cluster = await OneSiloCluster.StartAsync(broker.BootstrapServers, o => o.Emit = EmissionMode.Complete);

        // A document's records share its partition, in order, and a per-annotation record would precede its
        // completion: once every completion is read, any such record would have been read too.
        var records = kafka.ReadUntil("herald.annotations", rs => ids.All(id => rs.Any(r => r.Message.Key == id && Header(r, "herald-event") == "complete")), TimeSpan.FromSeconds(60));

        Assert.Equal(ids.Order(), records.Select(r => r.Message.Key!).Order());
        Assert.All(records, r => Assert.Equal("complete", Header(r, "herald-event")));
    }
}
