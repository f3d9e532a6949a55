using Herald.Kafka.Hosting;
using Herald.Kafka.Embedded;

namespace Herald.Kafka.Tests;

public sealed class DeadLetterFailureTests
{
    [Fact]
    public async Task When_dead_lettering_fails_and_truncating_is_off_the_commit_stops_at_the_bad_message_and_skips_nothing()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(1);
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        await kafka.ProduceDocumentsAsync("herald.documents", [KafkaPipelineCluster.Document("before")]);
        // Oversized, and larger than the silo's producer may send: its dead letter (original bytes) cannot be written.
        await kafka.ProduceAsync("herald.documents", "bad", new string('x', 120_000));
        await kafka.ProduceDocumentsAsync("herald.documents", [KafkaPipelineCluster.Document("after")]);

        await using var cluster = await OneSiloCluster.StartAsync(broker.BootstrapServers, o =>
        {
            o.MaxMessageBytes = 30_000;
            o.Client["message.max.bytes"] = "100000";
            o.OversizedDeadLetters = OversizedDeadLetters.Wait; // never cut: stop at it instead
        });

        // The documents around it run (reading goes on, up to the in-flight limit) ...
        kafka.ReadUntil("herald.annotations", rs => new[] { "before", "after" }.All(id => rs.Any(r => r.Message.Key == id && KafkaTestClient.Header(r, "herald-event") == "complete")),
            TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3)); // past auto-commits, while the dead letter is retried
        // ... but the committed offset waits at the message whose dead letter could not be written: a restart reads it again.
        Assert.Equal(1, kafka.Committed("herald-news", "herald.documents", 1)[0]);
        Assert.Empty(kafka.ReadAll("herald.deadletter"));
    }

    [Fact]
    public async Task An_input_too_large_to_dead_letter_whole_is_dead_lettered_truncated_and_the_partition_moves_on()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(1);
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        await kafka.ProduceAsync("herald.documents", "huge", new string('x', 120_000));
        await kafka.ProduceDocumentsAsync("herald.documents", [KafkaPipelineCluster.Document("after-huge")]);

        await using var cluster = await OneSiloCluster.StartAsync(broker.BootstrapServers, o =>
        {
            o.MaxMessageBytes = 30_000;
            o.Client["message.max.bytes"] = "100000";
        });

        kafka.ReadUntil("herald.annotations", rs => rs.Any(r => r.Message.Key == "after-huge" && KafkaTestClient.Header(r, "herald-event") == "complete"), TimeSpan.FromSeconds(60));
        var letter = Assert.Single(kafka.ReadUntil("herald.deadletter", rs => rs.Count > 0, TimeSpan.FromSeconds(30)));
        Assert.Equal("huge", letter.Message.Key);
        Assert.Equal(30_000, letter.Message.Value.Length);
        Assert.Equal("120000", KafkaTestClient.Header(letter, "herald-original-size"));
        Assert.Equal("true", KafkaTestClient.Header(letter, "herald-truncated"));
        Assert.StartsWith("message of 120000 bytes exceeds the limit", KafkaTestClient.Header(letter, "herald-reason"));
        await WaitForCommitAsync(kafka, 2);
    }

    [Fact]
    public async Task A_document_whose_results_can_never_be_published_is_dead_lettered_and_the_partition_moves_on()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(1);
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        // A valid 28 KB input whose annotations (a thousand amounts and companies) make records larger than the producer may send.
        var crowded = string.Concat(Enumerable.Repeat("Acme Corp raised $5 million. ", 950));
        await kafka.ProduceDocumentsAsync("herald.documents", [KafkaPipelineCluster.Document("crowded", crowded), KafkaPipelineCluster.Document("after-crowded")]);

        await using var cluster = await OneSiloCluster.StartAsync(broker.BootstrapServers, o =>
        {
            o.MaxMessageBytes = 30_000;
            o.Client["message.max.bytes"] = "100000";
        });

        kafka.ReadUntil("herald.annotations", rs => rs.Any(r => r.Message.Key == "after-crowded" && KafkaTestClient.Header(r, "herald-event") == "complete"), TimeSpan.FromSeconds(60));
        var letter = Assert.Single(kafka.ReadUntil("herald.deadletter", rs => rs.Count > 0, TimeSpan.FromSeconds(30)));
        Assert.Equal("crowded", letter.Message.Key);
        Assert.Contains("results could not be published", KafkaTestClient.Header(letter, "herald-reason"));
        Assert.Equal("0", KafkaTestClient.Header(letter, "herald-source-offset"));
        Assert.Equal("crowded", (string)System.Text.Json.Nodes.JsonNode.Parse(letter.Message.Value)!["id"]!);
        await WaitForCommitAsync(kafka, 2);
    }

    private static async Task WaitForCommitAsync(KafkaTestClient kafka, long offset)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (kafka.Committed("herald-news", "herald.documents", 1)[0] < offset && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal(offset, kafka.Committed("herald-news", "herald.documents", 1)[0]);
    }
}
