using System.Diagnostics;
using Confluent.Kafka;
using Herald.Grains.Documents;
using Herald.Kafka.Embedded;
using Herald.Warehouse;
using Herald.Warehouse.Sink;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Bench;

/// <summary>
/// The warehouse sink against a bare Confluent consumer reading the same central-topic records (the floor): both join a fresh
/// consumer group and read to the topic's end; the sink also parses every record and writes DuckDB, Parquet, or both, durably.
/// </summary>
public static class WarehouseBenchmark
{
    private const string Topic = "bench.annotations";
    private const int Partitions = 16;

    public static async Task RunAsync(int documents, int rounds)
    {
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic(Topic, Partitions);
        var records = Produce(broker.BootstrapServers, documents);
        Console.WriteLine($"warehouse: {documents} documents, {records} central-topic records (emission mode All, 7 annotations each), {rounds} rounds");
        var folder = Directory.CreateTempSubdirectory("herald-bench-warehouse-");
        var results = new Dictionary<string, List<double>> { ["bare"] = [], ["duckdb"] = [], ["parquet"] = [], ["both"] = [] };
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                var bare = Bare(broker.BootstrapServers, records);
                var duck = await SinkAsync(broker.BootstrapServers, Path.Combine(folder.FullName, $"r{round}.duckdb"), null, records);
                var parquet = await SinkAsync(broker.BootstrapServers, null, Path.Combine(folder.FullName, $"p{round}"), records);
                var both = await SinkAsync(broker.BootstrapServers, Path.Combine(folder.FullName, $"b{round}.duckdb"), Path.Combine(folder.FullName, $"b{round}"), records);
                results["bare"].Add(bare);
                results["duckdb"].Add(duck);
                results["parquet"].Add(parquet);
                results["both"].Add(both);
                Console.WriteLine($"round {round}: bare consumer {bare:N0} records/s, DuckDB {duck:N0}, Parquet {parquet:N0}, both {both:N0}");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        var floor = Median(results["bare"]);
        Console.WriteLine($"bare consumer: {floor:N0} records/s (median)");
        foreach (var name in new[] { "duckdb", "parquet", "both" })
        {
            var rate = Median(results[name]);
            Console.WriteLine($"warehouse {name} vs bare consumer: {rate / floor:0.00}x the throughput ({rate:N0} records/s, as many rows/s: a document's 8 records become its row and 7 annotation rows)");
        }
    }

    private static double Bare(string bootstrap, long records)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(Config(bootstrap)).Build();
        consumer.Subscribe(Topic);
        long read = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        var ended = new HashSet<int>();
        while (read < records || ended.Count < Partitions)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("the bare consumer stalled");
            if (result.IsPartitionEOF)
            {
                ended.Add(result.Partition.Value);
                continue;
            }
            read++;
            bytes += result.Message.Value?.Length ?? 0;
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        consumer.Close();
        return read / elapsed;
    }

    private static async Task<double> SinkAsync(string bootstrap, string? database, string? parquet, long records)
    {
        var options = new WarehouseOptions { BootstrapServers = bootstrap, Topic = Topic, ConsumerGroup = $"bench-{Guid.NewGuid():n}", Database = database ?? "", Parquet = parquet };
        using var sink = new WarehouseSink(options, NullLogger.Instance, config => config.Set("fetch.wait.max.ms", FetchWaitMs));
        var clock = Stopwatch.StartNew();
        var progress = await sink.RunAsync(once: true, CancellationToken.None);
        var elapsed = clock.Elapsed.TotalSeconds;
        if (progress.Records != records) throw new InvalidOperationException($"the sink wrote {progress.Records} records of {records}");
        return records / elapsed;
    }

    private static ConsumerConfig Config(string bootstrap) => new()
    {
        BootstrapServers = bootstrap, GroupId = $"bench-{Guid.NewGuid():n}", AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false,
        EnablePartitionEof = true, PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky, FetchWaitMaxMs = int.Parse(FetchWaitMs),
    };

    // The mock broker answers a fetch with nothing new only at its wait limit (a real broker at fetch.min.bytes): both readers wait
    // at most this long, so the end of the topic is not reached 500 ms late by chance.
    private const string FetchWaitMs = "50";

    /// <summary>Each document's records as Herald publishes them in mode All: one per annotation with the state so far, and the complete one.</summary>
    private static long Produce(string bootstrap, int documents)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, CompressionType = CompressionType.Lz4 }).Build();
        var at = DateTimeOffset.UtcNow;
        string[] names = ["embedding", "relevance", "event-type", "entities", "money", "dates", "signal"];
        long produced = 0;
        for (var i = 0; i < documents; i++)
        {
            var id = $"doc-{i:D6}";
            var text = $"Quillfeather Labs raised $12 million in a Series A round led by Northgate Ventures on March 3, 2026 (story {i}). " +
                       "The company plans to hire forty engineers and open an office in Lisbon, its chief executive said on Tuesday.";
            var document = new DocumentInput(id, text, "Quillfeather raises $12M",
                $$"""{"id": "{{id}}", "text": "{{text}}", "title": "Quillfeather raises $12M", "source": "Harbor Ledger", "publishedAt": "2026-03-04T08:00:00Z"}""");
            var annotations = names.Select(name => new AnnotationRecord(name, "1.0.0", AnnotationStatus.Done,
                new AnnotationOutput($$"""{"label": "funding_round", "score": 0.93, "entities": [{"text": "Quillfeather Labs", "label": "ORG", "start": 0, "end": 17, "score": 0.9}]}""", null),
                null, 1.25, 1, at)).ToArray();
            var parts = new DocumentSnapshotJson.RecordParts();
            for (var n = 1; n <= annotations.Length; n++)
                Send(DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("news", "v1", document, annotations[..n], DocumentStatus.Running, n, at, null), parts));
            Send(DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("news", "v1", document, annotations, DocumentStatus.Complete, annotations.Length + 1, at, at), parts));

            void Send(byte[] value)
            {
                producer.Produce(Topic, new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(id), Value = value });
                produced++;
            }
        }
        producer.Flush(TimeSpan.FromSeconds(60));
        return produced;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
