using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Herald.Annotators;
using Herald.Annotators.Remote;
using Herald.Contracts;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Hosting;
using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;
using Herald.Kafka.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Herald.Bench;

/// <summary>
/// The <c>kafka</c> kind: the Node SDK's example worker (kafkajs, a process of its own) with a fixed cost per document, driven
/// by Herald's kafka annotator against a bare request-reply client over the same broker, topics and worker (the floor).
/// </summary>
public static class KafkaWorkerBenchmark
{
    private const string Requests = "bench.requests", Results = "bench.results";

    public static async Task RunAsync(string repository, int documents, int rounds, int inFlight, int partitions, int costMs)
    {
        Console.WriteLine($"kafka workers: {documents} documents per round, {rounds} rounds, {inFlight} in flight, {partitions} partitions handled at once by one worker, "
            + $"{costMs} ms per document");
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic(Requests, partitions);
        broker.CreateTopic(Results, partitions);
        using var worker = Process.Start(new ProcessStartInfo("node", [Path.Combine(repository, "sdk", "node", "examples", "topics-worker.js"),
            "--brokers", broker.BootstrapServers, "--request-topic", Requests, "--group", "bench-workers", "--delay-ms", costMs.ToString(), "--concurrency", partitions.ToString()])
            { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            if (!(await worker.StandardOutput.ReadLineAsync() ?? "").StartsWith("worker ready")) throw new InvalidOperationException("the worker did not start");
            var texts = File.ReadLines(Path.Combine(repository, "samples", "news.jsonl")).Select(l => (string)JsonNode.Parse(l)!["text"]!).ToList();
            var corpus = Enumerable.Range(0, documents).Select(i => texts[i % texts.Count]).ToList();

            using var direct = new DirectClient(broker.BootstrapServers, partitions);
            await direct.RunAsync(corpus.Take(inFlight * 2).ToList(), inFlight); // warm-up
            var bare = RoundResult.Median(await RoundResult.RepeatAsync(rounds, () => direct.RunAsync(corpus, inFlight)));
            var herald = RoundResult.Median(await HeraldAsync(broker.BootstrapServers, corpus, rounds, inFlight));
            Console.WriteLine($"direct request-reply client: {bare.Rate,7:N0} documents/s, p50 {bare.P50:N1} ms, p99 {bare.P99:N1} ms");
            Console.WriteLine($"Herald, kafka kind:          {herald.Rate,7:N0} documents/s, p50 {herald.P50:N1} ms, p99 {herald.P99:N1} ms");
            Console.WriteLine($"Herald, kafka kind vs direct: {herald.Rate / bare.Rate:0.00}x the throughput");
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The floor: the worker's request format produced straight to its topic, results matched by correlation id.</summary>
    private sealed class DirectClient : IDisposable
    {
        private readonly IProducer<string, string> _producer;
        private readonly IConsumer<Ignore, string> _consumer;
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _reader;

        public DirectClient(string bootstrap, int partitions)
        {
            _producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 1 }).Build();
            _consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "bench-direct", FetchWaitMaxMs = 50 }).Build();
            // From the end, as Herald's own result listener reads.
            _consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(Results, p,
                _consumer.QueryWatermarkOffsets(new TopicPartition(Results, p), TimeSpan.FromSeconds(5)).High)));
            _reader = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var message = _consumer.Consume(_stop.Token);
                        var correlation = (string)JsonNode.Parse(message.Message.Value)!["correlationId"]!;
                        if (_waiting.TryRemove(correlation, out var done)) done.TrySetResult();
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }) { IsBackground = true };
            _reader.Start();
        }

        public async Task<RoundResult> RunAsync(List<string> corpus, int inFlight)
        {
            var latencies = new ConcurrentBag<double>();
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < corpus.Count; i = Interlocked.Increment(ref next))
                {
                    var correlation = Guid.NewGuid().ToString("n");
                    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiting[correlation] = done;
                    var started = Stopwatch.GetTimestamp();
                    var request = new JsonObject
                    {
                        ["correlationId"] = correlation,
                        ["annotator"] = new JsonObject { ["name"] = "topics", ["version"] = "1.0.0" },
                        ["document"] = new JsonObject { ["id"] = correlation, ["text"] = corpus[i] },
                        ["dependencies"] = new JsonObject(),
                    };
                    await _producer.ProduceAsync(Requests, new Message<string, string>
                    {
                        Key = correlation,
                        Value = request.ToJsonString(),
                        Headers = new Headers { { "herald-correlation", Encoding.UTF8.GetBytes(correlation) }, { "herald-reply-to", Encoding.UTF8.GetBytes(Results) } },
                    });
                    await done.Task;
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }));
            return RoundResult.Of(corpus.Count / clock.Elapsed.TotalSeconds, latencies);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _reader.Join();
            _consumer.Dispose();
            _producer.Dispose();
        }
    }

    /// <summary>One silo whose pipeline is one kafka annotator, over the same broker (no input topic or central records: the call alone).</summary>
    private static async Task<List<RoundResult>> HeraldAsync(string bootstrap, List<string> corpus, int rounds, int inFlight)
    {
        var connection = new KafkaConnection(Options.Create(new KafkaOptions { BootstrapServers = bootstrap }), TimeProvider.System, NullLogger<KafkaConnection>.Instance);
        await using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var topics = new KafkaWorkerTopics(connection, metrics.GetRequiredService<IMeterFactory>(), NullLogger<KafkaWorkerTopics>.Instance);
        return await RemoteRig.HeraldRoundsAsync("workers", $$"""
            pipeline: workers
            annotators:
              - { name: topics, version: 1.0.0, kind: kafka, timeout: 20s, options: { requestTopic: {{Requests}}, resultTopic: {{Results}}, maxConcurrency: {{inFlight}} } }
            """, [RemoteKinds.KafkaWorkers(topics)], corpus, rounds, inFlight);
    }
}
