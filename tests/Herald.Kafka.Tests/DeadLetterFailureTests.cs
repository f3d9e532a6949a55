using Herald.Kafka.Embedded;

namespace Herald.Kafka.Tests;

public sealed class DeadLetterFailureTests
{
    [Fact]
    public async Task When_dead_lettering_fails_the_partition_stops_at_the_bad_message_and_skips_nothing()
    {
        await using var broker = new EmbeddedKafkaBroker();
        foreach (var topic in new[] { "herald.documents", "herald.annotations", "herald.deadletter" }) broker.CreateTopic(topic, 1);
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        await kafka.ProduceDocumentsAsync("herald.documents", [KafkaPipelineCluster.Document("before")]);
        // Oversized, and larger than the silo's producer may send: its dead letter (original bytes) cannot be written.
        await kafka.ProduceAsync("herald.documents", "bad", new string('x', 120_000));
        await kafka.ProduceDocumentsAsync("herald.documents", [KafkaPipelineCluster.Document("after")]);

        await using var cluster = await OneSiloCluster.StartAsync(broker, o =>
        {
            o.MaxMessageBytes = 30_000;
            o.Client["message.max.bytes"] = "100000";
        });

        kafka.ReadUntil("herald.annotations", rs => rs.Any(r => r.Message.Key == "before" && KafkaTestClient.Header(r, "herald-event") == "complete"), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(5)); // the reader keeps retrying the bad message meanwhile
        var records = kafka.ReadUntil("herald.annotations", _ => false, TimeSpan.FromSeconds(2));

        Assert.Contains(records, r => r.Message.Key == "before");
        // The partition waits at the bad message: the document after it must not slip past.
        Assert.DoesNotContain(records, r => r.Message.Key == "after");
        Assert.True(kafka.Committed("herald-news", "herald.documents", 1)[0] <= 1, "the committed offset never passes the message that could not be dead-lettered");
    }
}
