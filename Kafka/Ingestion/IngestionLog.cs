using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Ingestion;

/// <summary>
/// The log events of the per-message path (source-generated: no boxing or formatting unless the level is on), with
/// stable event ids an operator can alert on.
/// </summary>
internal static partial class IngestionLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Dead-lettering {Topic}/{Partition}@{Offset} for pipeline {Pipeline}: {Reason}")]
    public static partial void DeadLettering(this ILogger logger, string topic, int partition, long offset, string pipeline, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Cannot dead-letter {Topic}/{Partition}@{Offset}: its offset is held and the dead letter retried in {Wait}")]
    public static partial void DeadLetterRetry(this ILogger logger, Exception error, string topic, int partition, long offset, TimeSpan wait);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Reading {Topic}/{Partition}@{Offset} failed unexpectedly")]
    public static partial void ReadFailed(this ILogger logger, Exception error, string topic, int partition, long offset);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Document {Id} of pipeline {Tag} failed (attempt {Attempt} of {Max}); trying again")]
    public static partial void DocumentRetry(this ILogger logger, Exception error, string id, string tag, int attempt, int max);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Pipeline {Tag} could not settle {Topic}/{Partition}@{Offset}; trying again")]
    public static partial void SettleFailed(this ILogger logger, Exception error, string tag, string topic, int partition, long offset);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Pipeline {Tag} could not store offset {Offset} of {Partition}: {Reason}")]
    public static partial void StoreOffsetFailed(this ILogger logger, string tag, long offset, int partition, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Reading worker results from {Topic} failed; reading on")]
    public static partial void WorkerResultsFailed(this ILogger logger, Exception error, string topic);
}
