namespace Herald.Grains.Documents;

[GenerateSerializer, Alias("herald.annotation-status")]
public enum AnnotationStatus
{
    Done,
    Skipped,
    Failed,
}

public static class AnnotationStatusNames
{
    /// <summary>The status as the central topic and the metrics spell it: <c>done</c>, <c>skipped</c> or <c>failed</c>.</summary>
    public static string Name(this AnnotationStatus status) => status switch
    {
        AnnotationStatus.Done => "done",
        AnnotationStatus.Skipped => "skipped",
        _ => "failed",
    };
}

/// <summary>What an annotator returned: its value and spans as JSON text, ready to be written out unchanged.</summary>
[GenerateSerializer, Immutable, Alias("herald.annotation-output")]
public sealed record AnnotationOutput([property: Id(0)] string ValueJson, [property: Id(1)] string? SpansJson);

/// <summary>
/// One annotator's outcome for one document. <see cref="Detail"/> is the error of a failed annotator or the
/// reason a skipped one did not run; <see cref="DurationMs"/> covers all attempts. <see cref="Reused"/>: taken from an earlier
/// run of the same document (a backfill) because the annotator and everything it depends on are unchanged, not computed again.
/// </summary>
[GenerateSerializer, Immutable, Alias("herald.annotation")]
public sealed record AnnotationRecord(
    [property: Id(0)] string Name,
    [property: Id(1)] string Version,
    [property: Id(2)] AnnotationStatus Status,
    [property: Id(3)] AnnotationOutput? Output,
    [property: Id(4)] string? Detail,
    [property: Id(5)] double DurationMs,
    [property: Id(6)] int Attempts,
    [property: Id(7)] DateTimeOffset At,
    [property: Id(8)] bool Reused = false);
