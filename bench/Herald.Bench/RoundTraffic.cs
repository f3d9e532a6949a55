using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Herald.Contracts;
using Herald.Kafka.Embedded;
using Herald.Kafka.Publishing;

namespace Herald.Bench;

/// <summary>
/// Both ends of a round on Herald's topics, shared by Herald (<see cref="BenchSilo"/>) and its Kafka-only floor
/// (<see cref="KafkaFloor"/>): an embedded broker with the input and central topics, new documents produced at once,
/// and a downstream observer that tells each document's completion by its <c>herald-event</c> header, never reading
/// values, and fetches only during a round.
/// </summary>
internal sealed class RoundTraffic : IAsyncDisposable
{
    public const int InputPartitions = 8;
    // The mock keeps about 5 MiB per partition, oldest first: spread the history so that what it drops has long been read.
    public const int CentralPartitions = 32;

    private readonly IConsumer<string, Ignore> _observer;
    private readonly IProducer<string, byte[]> _producer;
    private int _rounds;

    public RoundTraffic()
    {
        Broker = new EmbeddedKafkaBroker();
        Broker.CreateTopic("herald.documents", InputPartitions);
        Broker.CreateTopic("herald.annotations", CentralPartitions);
        Broker.CreateTopic("herald.deadletter", 1);
        _observer = new ConsumerBuilder<string, Ignore>(new ConsumerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            GroupId = "bench-observer",
            FetchWaitMaxMs = 10,
            ConsumeResultFields = "headers", // neither topic nor timestamp: a consumer that reads less costs less
        }).Build();
        _observer.Assign(Enumerable.Range(0, CentralPartitions).Select(p => new TopicPartitionOffset("herald.annotations", p, Offset.Beginning)));
        _observer.Pause(_observer.Assignment); // waiting, it would poll a hundred times a second
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Broker.BootstrapServers, LingerMs = 5 }).Build();
    }

    public EmbeddedKafkaBroker Broker { get; }

    /// <summary>Produces <paramref name="documents"/> new documents at once and waits for all their completions.</summary>
    public async Task<(TimeSpan Elapsed, List<double> LatenciesMs, long BytesProduced, ProcessUsage Used)> RunAsync(int documents)
    {
        var round = ++_rounds;
        var sent = new Dictionary<string, long>(documents);
        long bytesProduced = 0;
        _observer.Resume(_observer.Assignment);
        var start = ProcessUsage.Now();
        for (var i = 0; i < documents; i++)
        {
            var id = $"r{round}-{i}";
            var value = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","text":"text"}""");
            bytesProduced += id.Length + value.Length;
            sent[id] = Stopwatch.GetTimestamp();
            _producer.Produce("herald.documents", new Message<string, byte[]> { Key = id, Value = value });
        }
        _producer.Flush();
        // The observer blocks on its consumer: on a thread of its own, not one of the pool a silo runs on.
        var (elapsed, latencies) = await KafkaBenchmark.OnOwnThread(() => EndToEndResult.AwaitCompletions(_observer, sent,
            record => record.Message.Headers.TryGetLastBytes(RecordHeaders.Event, out var type) && type.AsSpan().SequenceEqual("complete"u8)));
        var used = ProcessUsage.Now() - start;
        _observer.Pause(_observer.Assignment);
        return (elapsed, latencies, bytesProduced, used);
    }

    public async ValueTask DisposeAsync()
    {
        _producer.Dispose();
        _observer.Close();
        _observer.Dispose();
        await Broker.DisposeAsync();
    }
}
