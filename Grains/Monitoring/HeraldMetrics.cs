using System.Diagnostics.Metrics;

namespace Herald.Grains.Monitoring;

/// <summary>The OpenTelemetry instruments of the <c>Herald</c> meter that the engine records (the Kafka and model layers add theirs under the same name).</summary>
public static class HeraldMetrics
{
    public const string MeterName = HeraldMeter.Name;

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> DocumentsStarted = Meter.CreateCounter<long>("herald.documents.started", "{document}", "documents that began a pipeline run");
    public static readonly Counter<long> DocumentsCompleted = Meter.CreateCounter<long>("herald.documents.completed", "{document}", "documents whose run completed");
    public static readonly Counter<long> DocumentsFailed = Meter.CreateCounter<long>("herald.documents.failed", "{document}", "completed documents with at least one failed annotation");
    public static readonly Counter<long> DocumentsConflicting = Meter.CreateCounter<long>("herald.documents.conflicting", "{document}", "resubmissions of a completed document id with different content, refused");
    public static readonly Histogram<double> DocumentDuration = Meter.CreateHistogram<double>("herald.document.duration", "ms", "from a run's start to its completion");
    public static readonly Counter<long> Annotations = Meter.CreateCounter<long>("herald.annotations", "{annotation}", "annotations recorded, by status");
    public static readonly Histogram<double> AnnotationDuration = Meter.CreateHistogram<double>("herald.annotation.duration", "ms", "an annotator's time for one document, retries included");
}
