using System.Text;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Herald.Kafka.Publishing;

/// <summary>What every dead letter carries, whoever writes it (the partition reader or a document grain).</summary>
internal static class DeadLetters
{
    /// <summary>The reason, where the input came from, and the pipeline that refused it.</summary>
    public static Headers Headers(string reason, string topic, int partition, long offset, string pipeline) =>
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
