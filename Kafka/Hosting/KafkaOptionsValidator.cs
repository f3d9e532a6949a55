using System.Globalization;
using Microsoft.Extensions.Options;

namespace Herald.Kafka.Hosting;

/// <summary>Fails silo start-up, naming every problem, when the Kafka options cannot work.</summary>
internal sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    /// <summary>Room a dead letter needs beyond the input message for its headers.</summary>
    private const int DeadLetterHeadroom = 64 * 1024;

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var problems = new List<string>();
        var producerLimit = 1_000_000;
        if (options.Client.TryGetValue("message.max.bytes", out var limit) && !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out producerLimit))
            problems.Add($"Herald:Kafka:Client:message.max.bytes ('{limit}') must be a whole number of bytes");
        else if (options.MaxMessageBytes > producerLimit - DeadLetterHeadroom)
            problems.Add($"Herald:Kafka:MaxMessageBytes ({options.MaxMessageBytes}) must be at least {DeadLetterHeadroom} below the producer's message.max.bytes ({producerLimit}), " +
                         "or an oversized input could not be dead-lettered");
        if (options.MaxInFlightPerPartition < 1)
            problems.Add($"Herald:Kafka:MaxInFlightPerPartition ({options.MaxInFlightPerPartition}) must be at least 1");
        if (options.Partitions < 1) problems.Add($"Herald:Kafka:Partitions ({options.Partitions}) must be at least 1");
        if (options.ReplicationFactor < 1) problems.Add($"Herald:Kafka:ReplicationFactor ({options.ReplicationFactor}) must be at least 1");
        if (options.ConnectTimeout <= TimeSpan.Zero) problems.Add($"Herald:Kafka:ConnectTimeout ({options.ConnectTimeout}) must be positive");
        foreach (var (topic, key) in new[] { (options.InputTopic, "InputTopic"), (options.AnnotationsTopic, "AnnotationsTopic"), (options.DeadLetterTopic, "DeadLetterTopic") })
            if (string.IsNullOrWhiteSpace(topic)) problems.Add($"Herald:Kafka:{key} must name a topic");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
