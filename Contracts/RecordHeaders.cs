namespace Herald.Contracts;

/// <summary>Header names on Herald's records (central topic and dead letters).</summary>
public static class RecordHeaders
{
    /// <summary>The pipeline tag a record belongs to.</summary>
    public const string Pipeline = "herald-pipeline";

    /// <summary>On the central topic: <see cref="RecordEvents.Annotation"/> or <see cref="RecordEvents.Complete"/>.</summary>
    public const string Event = "herald-event";

    /// <summary>On a dead letter: why the message could not be processed.</summary>
    public const string Reason = "herald-reason";

    public const string SourceTopic = "herald-source-topic";
    public const string SourcePartition = "herald-source-partition";
    public const string SourceOffset = "herald-source-offset";

    /// <summary>On a dead letter cut to fit the broker: the original size in bytes.</summary>
    public const string OriginalSize = "herald-original-size";

    /// <summary>On a dead letter cut to fit the broker.</summary>
    public const string Truncated = "herald-truncated";
}

/// <summary>Values of <see cref="RecordHeaders.Event"/>.</summary>
public static class RecordEvents
{
    /// <summary>A document gained an annotation.</summary>
    public const string Annotation = "annotation";

    /// <summary>A document's run is complete: the record carries the whole state.</summary>
    public const string Complete = "complete";
}

/// <summary>Header names of the Kafka worker protocol (README, "Annotator kinds", <c>kafka</c>).</summary>
public static class WorkerHeaders
{
    /// <summary>Identifies one attempt; the worker's result must carry it back.</summary>
    public const string Correlation = "herald-correlation";

    /// <summary>The topic the worker answers on.</summary>
    public const string ReplyTo = "herald-reply-to";

    /// <summary>The annotator the request is for, as <c>name@version</c>.</summary>
    public const string Annotator = "herald-annotator";
}
