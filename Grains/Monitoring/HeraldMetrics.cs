using System.Diagnostics.Metrics;

namespace Herald.Grains.Monitoring;

/// <summary>
/// The instruments the engine records, on the silo's one <c>Herald</c> meter: from the host's <see cref="IMeterFactory"/>,
/// which hands every caller of the same name the same meter (the Kafka layer adds its instruments to it) and disposes it
/// with the host, so each silo of a test cluster has its own.
/// </summary>
public sealed class HeraldMetrics
{
    public const string MeterName = HeraldMeter.Name;

    public HeraldMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        DocumentsStarted = Meter.CreateCounter<long>("herald.documents.started", "{document}", "documents that began a pipeline run");
        DocumentsCompleted = Meter.CreateCounter<long>("herald.documents.completed", "{document}", "documents whose run completed");
        DocumentsFailed = Meter.CreateCounter<long>("herald.documents.failed", "{document}", "completed documents with at least one failed annotation");
        DocumentsConflicting = Meter.CreateCounter<long>("herald.documents.conflicting", "{document}", "resubmissions of a completed document id with different content, refused");
        DocumentDuration = Meter.CreateHistogram<double>("herald.document.duration", "ms", "from a run's start to its completion");
        Annotations = Meter.CreateCounter<long>("herald.annotations", "{annotation}", "annotations recorded, by status");
        AnnotationDuration = Meter.CreateHistogram<double>("herald.annotation.duration", "ms", "an annotator's time for one document, retries included");
    }

    public Meter Meter { get; }

    internal Counter<long> DocumentsStarted { get; }
    internal Counter<long> DocumentsCompleted { get; }
    internal Counter<long> DocumentsFailed { get; }
    internal Counter<long> DocumentsConflicting { get; }
    internal Histogram<double> DocumentDuration { get; }
    internal Counter<long> Annotations { get; }
    internal Histogram<double> AnnotationDuration { get; }
}
