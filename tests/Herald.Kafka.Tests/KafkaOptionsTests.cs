using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Kafka.Tests;

/// <summary>Kafka options are checked once, at silo start, and every problem is named.</summary>
public sealed class KafkaOptionsTests
{
    [Fact]
    public void Every_problem_is_named()
    {
        var options = new KafkaOptions { MaxMessageBytes = 990_000, MaxInFlightPerPartition = 0, Partitions = 0, InputTopic = " ", ConnectTimeout = TimeSpan.Zero };

        var result = new KafkaOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Herald:Kafka:MaxMessageBytes (990000) must be at least 65536 below the producer's message.max.bytes (1000000), or an oversized input could not be dead-lettered",
                "Herald:Kafka:MaxInFlightPerPartition (0) must be at least 1",
                "Herald:Kafka:Partitions (0) must be at least 1",
                "Herald:Kafka:ConnectTimeout (00:00:00) must be positive",
                "Herald:Kafka:InputTopic must name a topic",
            ],
            result.Failures);
        Assert.True(new KafkaOptionsValidator().Validate(null, new KafkaOptions()).Succeeded);
        Assert.Equal(["Herald:Kafka:Client:message.max.bytes ('lots') must be a whole number of bytes"],
            new KafkaOptionsValidator().Validate(null, new KafkaOptions { Client = { ["message.max.bytes"] = "lots" } }).Failures);
    }

    [Fact]
    public async Task A_silo_with_invalid_options_does_not_start()
    {
        await using var broker = new EmbeddedKafkaBroker();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => OneSiloCluster.StartAsync(broker.BootstrapServers, o => o.MaxInFlightPerPartition = 0));

        var invalid = Flatten(failure).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(invalid is not null, failure.ToString());
        Assert.Contains("Herald:Kafka:MaxInFlightPerPartition (0) must be at least 1", invalid.Failures);
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is { } inner ? [e, .. Flatten(inner)] : [e];
}
