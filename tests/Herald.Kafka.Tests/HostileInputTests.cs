using Confluent.Kafka;
using CsCheck;
using Herald.Kafka.Embedded;
using Herald.Tests.Documents;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>
/// A burst of valid documents mixed with hostile bytes, through the real reader of a silo: every message ends in
/// exactly one outcome (a <c>complete</c> record or a dead letter naming its offset), none affects another, and the
/// committed offsets reach the end.
/// </summary>
public sealed class HostileInputTests
{
    private const int Partitions = 2;

    [Fact]
    public async Task Every_message_of_a_hostile_burst_completes_or_is_dead_lettered_exactly_once()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(Partitions);
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        // Valid documents between hostile ones in the same partitions and batches: the reported loss was of those.
        var values = HostileMessages.Mutated.Array[600].Single().Concat(HostileMessages.ValidDocument.Array[400].Single()).ToArray();
        Random.Shared.Shuffle(values);
        var sent = await ProduceAsync(broker.BootstrapServers, values);

        await using var cluster = await OneSiloCluster.StartAsync(broker.BootstrapServers, _ => { });
        await WaitUntilAsync(() => Outcomes(kafka).Count >= sent.Count, TimeSpan.FromSeconds(120));
        await Task.Delay(1500); // anything produced twice would show by now
        var outcomes = Outcomes(kafka);

        var byOffset = outcomes.Where(r => r.Topic == HeraldTopics.DeadLetters)
            .ToLookup(r => (int.Parse(Header(r, "herald-source-partition")!), long.Parse(Header(r, "herald-source-offset")!)));
        var completed = outcomes.Where(r => r.Topic == HeraldTopics.Annotations).ToLookup(r => r.Message.Key);
        foreach (var (key, position) in sent)
        {
            var letters = byOffset[position].Count();
            var completes = completed[key].Count();
            Assert.True(letters + completes == 1, $"{key} at {position}: {completes} complete records and {letters} dead letters");
            if (letters == 1) Assert.False(string.IsNullOrWhiteSpace(Header(byOffset[position].Single(), "herald-reason")));
        }
        Assert.True(completed.Count >= 400, "every valid document completed");
        await WaitUntilAsync(() => kafka.Committed("herald-news", HeraldTopics.Input, Partitions).SequenceEqual(kafka.EndOffsets(HeraldTopics.Input, Partitions)),
            TimeSpan.FromSeconds(30));
    }

    private static List<ConsumeResult<string?, string>> Outcomes(KafkaTestClient kafka) =>
    [
        .. kafka.ReadAll(HeraldTopics.Annotations).Where(r => Header(r, "herald-event") == "complete"),
        .. kafka.ReadAll(HeraldTopics.DeadLetters),
    ];

    /// <summary>Produces each value under a key of its own; returns each key with where it landed.</summary>
    private static async Task<List<(string Key, (int, long) Position)>> ProduceAsync(string bootstrapServers, byte[][] values)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 5 }).Build();
        var deliveries = values.Select((value, i) => producer.ProduceAsync(HeraldTopics.Input, new Message<string, byte[]> { Key = $"burst-{i}", Value = value })).ToList();
        var results = await Task.WhenAll(deliveries);
        return results.Select(r => (r.Message.Key, (r.Partition.Value, r.Offset.Value))).ToList();
    }
}
