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
