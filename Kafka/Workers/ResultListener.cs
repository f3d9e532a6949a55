using System.Text.Json;
using Confluent.Kafka;
using Herald.Kafka.Hosting;
using Herald.Kafka.Ingestion;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Workers;

/// <summary>
/// Reads one result topic on its own thread and hands each result to whoever waits for its correlation id. Every silo reads
/// every partition from the end it found at start (assigned, no consumer group): results are for the silo that asked, and
/// a silo only waits for results of requests it made after it started.
/// </summary>
internal sealed class ResultListener : IDisposable
{
    private readonly IConsumer<Ignore, byte[]> _consumer;
    private readonly Action<string, byte[]> _deliver;
    private readonly ILogger _logger;
    private readonly string _topic;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public ResultListener(KafkaConnection connection, string topic, int partitions, Action<string, byte[]> deliver, ILogger logger)
    {
        _deliver = deliver;
        _logger = logger;
        _topic = topic;
        _consumer = new ConsumerBuilder<Ignore, byte[]>(connection.Configure(new ConsumerConfig
            {
                GroupId = $"herald-results-{Guid.NewGuid():n}", // required by the client, never joined: partitions are assigned
                EnableAutoCommit = false,
                FetchWaitMaxMs = 50,
            }))
            .SetLogHandler((_, log) => logger.Log((LogLevel)log.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "librdkafka {Facility} (results of {Topic}): {Message}", log.Facility, topic, log.Message))
            .Build();
        // From the end as it is now, before any request is produced: no result of a request made from here on is missed.
        _consumer.Assign(Enumerable.Range(0, partitions).Select(p =>
        {
            var partition = new TopicPartition(topic, p);
            return new TopicPartitionOffset(partition, _consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High);
        }));
        _thread = new Thread(Run) { IsBackground = true, Name = $"herald-results-{topic}" };
        _thread.Start();
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_consumer.Consume(_stop.Token) is { Message.Value: { } value } result && CorrelationOf(result.Message) is { } correlation)
                    _deliver(correlation, value);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.WorkerResultsFailed(e, _topic);
            }
        }
    }

    /// <summary>The <c>herald-correlation</c> header, or else the body's <c>correlationId</c> (workers need set only one).</summary>
    private static string? CorrelationOf(Message<Ignore, byte[]> message)
    {
        if (message.Headers?.TryGetLastBytes(WorkerHeaders.Correlation, out var header) == true)
            return System.Text.Encoding.UTF8.GetString(header);
        try
        {
            var reader = new Utf8JsonReader(message.Value);
            using var body = JsonDocument.ParseValue(ref reader);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("correlationId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null; // not a result of Herald's: ignored
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(5));
        _consumer.Close();
        _consumer.Dispose();
    }
}
