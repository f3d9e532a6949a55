using System.Collections.Concurrent;
using Confluent.Kafka;
using Herald.Grains.Hosting;
using Herald.Kafka.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Herald.Kafka.Tests.KafkaTestClient;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Herald.Kafka.Tests;

/// <summary>
/// Kafka not ready when Herald is: a silo deployed together with its cluster may start first, and waits for it (up to
/// <c>Herald:Kafka:ConnectTimeout</c>) instead of failing; a reader whose group coordinator cannot be found yet keeps
/// trying, says so in the silo's log, then reads. The embedded broker cannot do what a cluster does (look up offsets by time):
/// the silo says so too.
/// </summary>
[Trait("Category", "process")]
[Collection(FaultCollection.Name)]
public sealed class LateBrokerTests
{
    [Fact]
    public async Task A_silo_started_before_its_broker_waits_for_it_and_reads_its_partitions()
    {
        var port = SiloProcess.FreePort();
        EmbeddedKafkaBroker? broker = null;
        var brokerUp = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // the silo's first attempts find the port closed
            broker = new EmbeddedKafkaBroker(port).WithHeraldTopics(2);
        });
        await using var cluster = await OneSiloCluster.StartAsync($"127.0.0.1:{port}", o => o.ConnectTimeout = TimeSpan.FromSeconds(30));
        await brokerUp;
        try
        {
            var kafka = new KafkaTestClient(broker!.BootstrapServers);
            var ids = Enumerable.Range(0, 10).Select(i => $"late-{i}").ToList();
            await kafka.ProduceDocumentsAsync(HeraldTopics.Input, ids.Select(id => KafkaPipelineCluster.Document(id)));

            await kafka.AssertAllCompletedAndCommittedAsync(ids, "herald-news", 2, TimeSpan.FromSeconds(60));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await broker!.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_silo_whose_broker_never_comes_says_where_it_looked_and_for_how_long()
    {
        var port = SiloProcess.FreePort();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => OneSiloCluster.StartAsync($"127.0.0.1:{port}", o => o.ConnectTimeout = TimeSpan.FromSeconds(3)));
        var reason = Flatten(failure).OfType<InvalidOperationException>().FirstOrDefault(e => e.Message.StartsWith("Kafka at"));
        Assert.NotNull(reason);
        Assert.Contains($"Kafka at 127.0.0.1:{port} was not ready within 3 s (Herald:Kafka:ConnectTimeout)", reason.Message);
    }

    [Fact]
    public async Task A_reader_that_cannot_find_its_group_coordinator_keeps_trying_and_then_reads()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(2);
        // FindCoordinator (API key 10) fails until both readers' attempts to take their partitions have timed out.
        broker.FailRequests(FindCoordinator, ErrorCode.GroupCoordinatorNotAvailable, 100_000);
        var warnings = new WarningLog();
        await using var cluster = await OneSiloCluster.StartAsync(broker.BootstrapServers, o => o.ConnectTimeout = TimeSpan.FromSeconds(5),
            services => services.AddSingleton<ILoggerProvider>(warnings));
        try
        {
            // The operator is told, and the reader keeps trying.
            try
            {
                await WaitUntilAsync(() => warnings.Messages.Any(m => m.StartsWith("Pipeline news has not joined its consumer group herald-news")),
                    TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException(string.Join("\n", warnings.Messages));
            }
            broker.StopFailingRequests(FindCoordinator);

            var kafka = new KafkaTestClient(broker.BootstrapServers);
            var ids = Enumerable.Range(0, 10).Select(i => $"coordinator-{i}").ToList();
            await kafka.ProduceDocumentsAsync(HeraldTopics.Input, ids.Select(id => KafkaPipelineCluster.Document(id)));

            await kafka.AssertAllCompletedAndCommittedAsync(ids, "herald-news", 2, TimeSpan.FromSeconds(90));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    [Fact]
    public async Task On_the_embedded_broker_a_pipeline_that_starts_at_a_time_starts_at_the_end_and_the_silo_says_why()
    {
        // librdkafka's mock cluster answers every lookup of offsets by time with "nothing yet", whatever the records' times.
        await using (var mock = new EmbeddedKafkaBroker().WithHeraldTopics(1))
        {
            var kafka = new KafkaTestClient(mock.BootstrapServers);
            await kafka.ProduceDocumentsAsync(HeraldTopics.Input, [KafkaPipelineCluster.Document("old-1")]);
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = mock.BootstrapServers, GroupId = "times" }).Build();
            var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(new TopicPartition(HeraldTopics.Input, 0), new Timestamp(DateTime.UnixEpoch.AddYears(30)))],
                TimeSpan.FromSeconds(10));
            Assert.Equal(Offset.End, found.Single().Offset);
        }

        // A silo on its own embedded broker (no cluster configured) with a pipeline that starts at a time: the operator is told.
        var folder = RulesPipeline.Folder("news");
        var yaml = Path.Combine(folder, "news.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("pipeline: news\n", "pipeline: news\ninput: { start: 2026-01-01T00:00:00Z }\n"));
        Assert.Contains("start: 2026-01-01", File.ReadAllText(yaml));
        var warnings = new WarningLog();
        await using var cluster = await OneSiloCluster.StartAsync("", o => o.EmbeddedPort = 0, services => services
            .AddSingleton<ILoggerProvider>(warnings)
            .PostConfigure<HeraldOptions>(o => o.PipelinesPath = folder));
        try
        {
            await WaitUntilAsync(() => warnings.Messages.Any(m => m.Contains("the embedded broker cannot look up offsets by time")), TimeSpan.FromSeconds(30));
            Assert.Contains(warnings.Messages, m => m.StartsWith("Pipeline news starts ", StringComparison.Ordinal) && m.Contains(" at its end: "));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    private const short FindCoordinator = 10;

    /// <summary>The warnings a silo logs.</summary>
    private sealed class WarningLog : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Messages.Enqueue(formatter(state, exception));
        }
        public void Dispose() { }
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException aggregate ? aggregate.InnerExceptions.SelectMany(Flatten).Prepend(e)
            : e.InnerException is { } inner ? Flatten(inner).Prepend(e) : [e];
}
