using Confluent.Kafka;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Publishing;

/// <summary>
/// The silo's one Kafka producer, shared by everything that writes: idempotent (no duplicates or reordering
/// from its own retries), acks from all in-sync replicas, and batched with a short linger.
/// </summary>
internal sealed class HeraldProducer : IDisposable
{
    public HeraldProducer(KafkaConnection connection, ILogger<HeraldProducer> logger)
    {
        Producer = new ProducerBuilder<byte[]?, byte[]?>(connection.Configure(Settings()))
            .SetErrorHandler((_, error) => logger.Log(error.IsFatal ? LogLevel.Error : LogLevel.Warning, "Kafka producer: {Reason} ({Code})", error.Reason, error.Code))
            .SetLogHandler((_, log) => logger.Log((LogLevel)log.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "librdkafka {Facility} (producer): {Message}", log.Facility, log.Message))
            .Build();
    }

    /// <summary>The producer settings, before the connection's (bootstrap servers, security) are added.</summary>
    public static ProducerConfig Settings() => new()
    {
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        CompressionType = CompressionType.Lz4,
        // Delivery reports only need the outcome: copying each record's key, value and headers back costs ~15% of the CPU.
        DeliveryReportFields = "status",
    };

    public IProducer<byte[]?, byte[]?> Producer { get; }

    public void Dispose()
    {
        Producer.Flush(TimeSpan.FromSeconds(10));
        Producer.Dispose();
    }
}
