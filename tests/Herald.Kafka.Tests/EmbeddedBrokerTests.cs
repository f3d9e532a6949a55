using System.Text;
using Confluent.Kafka;
using Herald.Kafka.Embedded;

namespace Herald.Kafka.Tests;

public sealed class EmbeddedBrokerTests
{
    [Fact]
    public async Task Speaks_Kafka_on_its_loopback_port_with_keys_and_headers()
    {
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic("smoke", 3);
        broker.CreateTopic("smoke", 3); // idempotent

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, EnableIdempotence = true }).Build();
        for (var i = 0; i < 10; i++)
            await producer.ProduceAsync("smoke", new Message<string, string> { Key = $"k{i}", Value = $"v{i}", Headers = [new Header("h", Encoding.UTF8.GetBytes($"x{i}"))] });

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "smoke-test",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("smoke", p, Offset.Beginning)));
        var received = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (received.Count < 10 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result) received.Add(result);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"k{i}=v{i}/x{i}").Order(),
            received.Select(r => $"{r.Message.Key}={r.Message.Value}/{Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("h"))}").Order());
        Assert.Equal(3, received.Select(r => r.Partition.Value).Distinct().Count());
    }
}

/// <summary>What the embedded broker keeps, as README states it: the newest ~5 MiB of stored batches per partition.</summary>
public sealed class EmbeddedBrokerRetentionTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public async Task A_partition_keeps_about_five_mebibytes_of_stored_batches_and_drops_the_oldest(CompressionType compression)
    {
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic("kept", 1);
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers, LingerMs = 5, CompressionType = compression, QueueBufferingMaxKbytes = 64 * 1024,
        }).Build();
        // 4 KiB of JSON-like text per record, 12 MiB in all: well past the limit uncompressed.
        var value = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 4096 / 32).Select(i => $"{{\"name\":\"money\",\"v\":{i % 1000,3}}},    ")));
        const int count = 3000;
        for (var i = 0; i < count; i++) producer.Produce("kept", new Message<Null, byte[]> { Value = value });
        producer.Flush(TimeSpan.FromSeconds(60));

        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "watermarks" }).Build();
        var (low, high) = consumer.QueryWatermarkOffsets(new TopicPartition("kept", 0), TimeSpan.FromSeconds(10)) is var w ? (w.Low.Value, w.High.Value) : default;
        Assert.Equal(count, high);
        var keptMiB = (high - low) * value.Length / 1048576.0;
        if (compression == CompressionType.None)
        {
            // The oldest records are gone without a word, and what is kept is about 5 MiB.
            Assert.True(low > 0, "the oldest records were dropped");
            Assert.InRange(keptMiB, 4.0, 5.5);
        }
        else
        {
            // The limit counts stored bytes, as compressed by the producer: the same JSON keeps far more records.
            Assert.Equal(0, low);
        }
    }
}
