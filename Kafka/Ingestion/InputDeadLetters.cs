using System.Text;
using Confluent.Kafka;
using Herald.Kafka.Hosting;
using Herald.Kafka.Publishing;
using Microsoft.Extensions.Logging;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Herald.Kafka.Ingestion;

/// <summary>
/// The one way an input message is refused: copied to the dead-letter topic unchanged (key, value, its own headers) with
/// Herald's headers saying why, where it came from and which pipeline refused it. Whoever finds the reason (the reading
/// of the message, or its document's run) ends here; the message counts as settled once its dead letter is durable.
/// </summary>
internal sealed class InputDeadLetters(HeraldProducer producer, KafkaConnection connection, ILogger<InputDeadLetters> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly KafkaOptions _options = connection.Options;

    /// <summary>
    /// Writes the dead letter, retrying with backoff while the broker cannot take it (the message's offset is not
    /// committed meanwhile); returns once it is durable. Only <paramref name="stopping"/> ends the retries.
    /// </summary>
    public async Task WriteAsync(ConsumeResult<byte[]?, byte[]?> message, string pipeline, string reason, CancellationToken stopping)
    {
        logger.DeadLettering(message.Topic, message.Partition.Value, message.Offset.Value, pipeline, reason);
        var headers = Headers(reason, message.Topic, message.Partition.Value, message.Offset.Value, pipeline);
        for (var failures = 0; ; failures++)
        {
            try
            {
                await WriteOnceAsync(message.Message, headers);
                return;
            }
            catch (KafkaException e)
            {
                var wait = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
                logger.DeadLetterRetry(e, message.Topic, message.Partition.Value, message.Offset.Value, wait);
                await Task.Delay(wait, connection.Time, stopping);
            }
        }
    }

    private async Task WriteOnceAsync(Message<byte[]?, byte[]?> input, Headers herald)
    {
        try
        {
            await ProduceAsync(input.Key, input.Value, [.. herald, .. input.Headers ?? []]);
        }
        catch (ProduceException<byte[]?, byte[]?> e) when (IsTooLarge(e.Error.Code) && _options.OversizedDeadLetters == OversizedDeadLetters.Truncate)
        {
            // Larger than the producer may send: keep the value's head, at most 1 KB of key and only Herald's own headers (the
            // limit leaves room for those), and say how much there was, rather than hold the partition.
            var (key, value) = (input.Key, input.Value ?? []);
            await ProduceAsync(
                key is { Length: > 1024 } ? key[..1024] : key,
                value.Length > _options.MaxMessageBytes ? value[.._options.MaxMessageBytes] : value,
                [.. herald, new Header(RecordHeaders.OriginalSize, Encoding.UTF8.GetBytes(value.Length.ToString())), new Header(RecordHeaders.Truncated, "true"u8.ToArray())]);
        }
    }

    private Task ProduceAsync(byte[]? key, byte[]? value, Headers headers) =>
        producer.Producer.ProduceAsync(_options.DeadLetterTopic, new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers });

    /// <summary>The reason, where the input came from, and the pipeline that refused it.</summary>
    private static Headers Headers(string reason, string topic, int partition, long offset, string pipeline) =>
    [
        new Header(RecordHeaders.Reason, Encoding.UTF8.GetBytes(reason)),
        new Header(RecordHeaders.SourceTopic, Encoding.UTF8.GetBytes(topic)),
        new Header(RecordHeaders.SourcePartition, Encoding.UTF8.GetBytes(partition.ToString())),
        new Header(RecordHeaders.SourceOffset, Encoding.UTF8.GetBytes(offset.ToString())),
        new Header(RecordHeaders.Pipeline, Encoding.UTF8.GetBytes(pipeline)),
    ];

    /// <summary>The broker or the producer refuses the record for its size: sending it again cannot succeed.</summary>
    public static bool IsTooLarge(ErrorCode code) => code is ErrorCode.MsgSizeTooLarge or ErrorCode.InvalidMsgSize or ErrorCode.RecordListTooLarge;
}
