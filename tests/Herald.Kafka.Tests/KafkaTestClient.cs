using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace Herald.Kafka.Tests;

/// <summary>A plain Kafka client, as a producer of documents or a downstream consumer of Herald's topics would be.</summary>
public sealed class KafkaTestClient(string bootstrapServers)
{
    public async Task ProduceAsync(string topic, string? key, string value, CancellationToken cancellationToken = default)
    {
        using var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        await producer.ProduceAsync(topic, new Message<string?, string> { Key = key, Value = value }, cancellationToken);
    }

    public async Task ProduceDocumentsAsync(string topic, IEnumerable<JsonObject> documents)
    {
        using var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 5 }).Build();
        foreach (var document in documents)
            producer.Produce(topic, new Message<string?, string> { Key = (string)document["id"]!, Value = document.ToJsonString() });
        producer.Flush(TimeSpan.FromSeconds(30));
        await Task.CompletedTask;
    }

    /// <summary>Reads a topic from the beginning until <paramref name="done"/> holds for what was read, or the timeout passes.</summary>
    public List<ConsumeResult<string?, string>> ReadUntil(string topic, Func<IReadOnlyList<ConsumeResult<string?, string>>, bool> done, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string?, string>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "reader-" + Guid.NewGuid() }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        var records = new List<ConsumeResult<string?, string>>();
        var deadline = DateTime.UtcNow + timeout;
        // `done` may look at every record, so it is asked when reading catches up or every quarter second, not per record.
        var nextCheck = DateTime.MinValue;
        while (DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is not null) records.Add(record);
            if ((record is null || DateTime.UtcNow >= nextCheck) && done(records)) break;
            if (record is null || DateTime.UtcNow >= nextCheck) nextCheck = DateTime.UtcNow.AddMilliseconds(250);
        }
        return records;
    }

    /// <summary>Every record of a topic up to its end at the time of the call.</summary>
    public List<ConsumeResult<string?, string>> ReadAll(string topic)
    {
        using var consumer = new ConsumerBuilder<string?, string>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "reader-" + Guid.NewGuid() }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var records = new List<ConsumeResult<string?, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var left = ends.Count(e => e.Value > 0);
        while (left > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{topic} was not read to its end in 30 s");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } record) continue;
            records.Add(record);
            if (record.Offset.Value == ends[record.Partition.Value] - 1) left--;
        }
        return records;
    }

    /// <summary>The committed offset of each partition for a consumer group (-1001 when none).</summary>
    public long[] Committed(string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group }).Build();
        return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value).ToArray();
    }

    public long[] EndOffsets(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value).ToArray();
    }

    /// <summary>
    /// Waits until every document of <paramref name="ids"/> has a <c>complete</c> record on the central topic and the
    /// pipeline's consumer group has committed exactly that many input messages (the input topic held only these).
    /// </summary>
    public async Task AssertAllCompletedAndCommittedAsync(IReadOnlyCollection<string> ids, string group, int partitions, TimeSpan timeout)
    {
        var records = ReadUntil(HeraldTopics.Annotations, rs => ids.All(id => rs.Any(r => r.Message.Key == id && Header(r, "herald-event") == "complete")), timeout);
        Assert.Empty(ids.Except(records.Where(r => Header(r, "herald-event") == "complete").Select(r => r.Message.Key!)));
        await WaitUntilAsync(() => Committed(group, HeraldTopics.Input, partitions).Sum() == ids.Count, TimeSpan.FromSeconds(60));
    }

    /// <summary>Polls <paramref name="condition"/> (a committed offset, say) until it holds; a timeout fails the test.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(200);
        }
    }

    public static string? Header(ConsumeResult<string?, string> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}
