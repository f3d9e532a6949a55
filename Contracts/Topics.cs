namespace Herald.Contracts;

/// <summary>The topics a Herald deployment uses unless configured otherwise.</summary>
public static class DefaultTopics
{
    /// <summary>Documents in: keyed by document id, one JSON object per message.</summary>
    public const string Input = "herald.documents";

    /// <summary>The central annotations topic: every annotation and completion, keyed by document id.</summary>
    public const string Annotations = "herald.annotations";

    /// <summary>Input that cannot be processed, copied unchanged with its reason in <see cref="RecordHeaders.Reason"/>.</summary>
    public const string DeadLetters = "herald.deadletter";

    /// <summary>Where Kafka workers answer, shared by any number of worker annotators.</summary>
    public const string WorkerResults = "herald.worker-results";
}
