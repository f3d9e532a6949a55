using System.Diagnostics;
using System.Collections.Concurrent;
using Herald.Grains.Documents;

namespace Herald.Grains.Monitoring;

/// <summary>
/// This silo's live view of its pipelines, fed by every document run: counts, what runs and waits now, recent latency.
/// It backs the status API and page (through <see cref="SiloReport"/>) and records the same events as OpenTelemetry metrics.
/// </summary>
public sealed class PipelineMonitor(HeraldMetrics metrics)
{
    private sealed class AnnotatorCounters
    {
        public long Done, Failed, Skipped, Running, Waiting;
        public readonly LatencyWindow Latency = new();
    }

    private sealed class PipelineCounters
    {
        public long Started, Completed, InFlight;
        public readonly LatencyWindow Latency = new();
        public readonly ConcurrentDictionary<string, AnnotatorCounters> Annotators = new();
    }

    private readonly ConcurrentDictionary<string, PipelineCounters> _pipelines = new();

    public void DocumentStarted(string tag)
    {
        var pipeline = Pipeline(tag);
        Interlocked.Increment(ref pipeline.Started);
        Interlocked.Increment(ref pipeline.InFlight);
        metrics.DocumentsStarted.Add(1, new KeyValuePair<string, object?>("pipeline", tag));
    }

    public void DocumentCompleted(string tag, double milliseconds, bool anyFailed)
    {
        var pipeline = Pipeline(tag);
        Interlocked.Increment(ref pipeline.Completed);
        Interlocked.Decrement(ref pipeline.InFlight);
        pipeline.Latency.Add(milliseconds);
        var tags = new KeyValuePair<string, object?>("pipeline", tag);
        metrics.DocumentsCompleted.Add(1, tags);
        metrics.DocumentDuration.Record(milliseconds, tags);
        if (anyFailed) metrics.DocumentsFailed.Add(1, tags);
    }

    /// <summary>A resubmission of a completed document with different content was refused.</summary>
    public void DocumentConflicting(string tag) => metrics.DocumentsConflicting.Add(1, new KeyValuePair<string, object?>("pipeline", tag));

    public void AnnotatorStarted(string tag, string name) => Interlocked.Increment(ref Annotator(tag, name).Running);

    public void AnnotatorWaiting(string tag, string name, int delta) => Interlocked.Add(ref Annotator(tag, name).Waiting, delta);

    public void AnnotatorFinished(string tag, AnnotationRecord record, bool ran)
    {
        var annotator = Annotator(tag, record.Name);
        if (ran) Interlocked.Decrement(ref annotator.Running);
        switch (record.Status)
        {
            case AnnotationStatus.Done: Interlocked.Increment(ref annotator.Done); break;
            case AnnotationStatus.Failed: Interlocked.Increment(ref annotator.Failed); break;
            default: Interlocked.Increment(ref annotator.Skipped); break;
        }
        if (ran) annotator.Latency.Add(record.DurationMs);
        var tags = new TagList { { "pipeline", tag }, { "annotator", record.Name }, { "status", record.Status.Name() } };
        metrics.Annotations.Add(1, tags);
        if (ran) metrics.AnnotationDuration.Record(record.DurationMs, tags);
    }

    public IReadOnlyList<PipelineStats> Snapshot() =>
        [.. _pipelines.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
        {
            var (p50, p99) = p.Value.Latency.Percentiles();
            return new PipelineStats(p.Key, Interlocked.Read(ref p.Value.Started), Interlocked.Read(ref p.Value.Completed), Interlocked.Read(ref p.Value.InFlight), p50, p99,
                [.. p.Value.Annotators.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
                {
                    var (a50, a99) = a.Value.Latency.Percentiles();
                    return new AnnotatorStats(a.Key, Interlocked.Read(ref a.Value.Done), Interlocked.Read(ref a.Value.Failed), Interlocked.Read(ref a.Value.Skipped),
                        Interlocked.Read(ref a.Value.Running), Interlocked.Read(ref a.Value.Waiting), a50, a99);
                })]);
        })];

    private PipelineCounters Pipeline(string tag) => _pipelines.GetOrAdd(tag, _ => new PipelineCounters());

    private AnnotatorCounters Annotator(string tag, string name) => Pipeline(tag).Annotators.GetOrAdd(name, _ => new AnnotatorCounters());
}
