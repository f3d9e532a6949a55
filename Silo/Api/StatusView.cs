using Herald.Grains.Control;
using Herald.Grains.Monitoring;
using Herald.Grains.Pipelines;

namespace Herald.Silo.Api;

public sealed record AnnotatorStatus(string Name, string Version, IReadOnlyList<string> Requires, double Throughput, double P50Ms, double P99Ms,
    long Running, long Waiting, long Done, long Errors, long Skipped, bool Paused, string? Circuit);

public sealed record PipelineStatus(string Tag, string Version, double Throughput, long Completed, long InFlight, double P50Ms, double P99Ms,
    string? Bottleneck, IReadOnlyList<AnnotatorStatus> Annotators);

/// <summary>The flow view: every pipeline and annotator across the cluster, and the consumer lag of every input partition.</summary>
public sealed record StatusView(DateTimeOffset At, int Silos, IReadOnlyList<PipelineStatus> Pipelines, IReadOnlyList<PartitionLag> Partitions)
{
    /// <summary>
    /// Sums the silos' reports; rates come from each silo's last two reports. The bottleneck is the annotator with the
    /// most documents running or waiting at it, the slowest one breaking ties.
    /// </summary>
    public static StatusView Of(IReadOnlyList<(SiloReport Latest, SiloReport? Previous)> silos, PipelineRegistry registry, AnnotatorGate gate, DateTimeOffset now)
    {
        var pipelines = registry.Current.Select(pipeline =>
        {
            var reports = silos.Select(s => (Latest: s.Latest.Pipelines.FirstOrDefault(p => p.Tag == pipeline.Tag), Previous: s.Previous?.Pipelines.FirstOrDefault(p => p.Tag == pipeline.Tag),
                Seconds: s.Previous is null ? 0 : (s.Latest.At - s.Previous.At).TotalSeconds)).Where(r => r.Latest is not null).ToList();
            var annotators = pipeline.Nodes.Select(node =>
            {
                var stats = reports.Select(r => (Latest: r.Latest!.Annotators.FirstOrDefault(a => a.Name == node.Name),
                    Previous: r.Previous?.Annotators.FirstOrDefault(a => a.Name == node.Name), r.Seconds)).Where(a => a.Latest is not null).ToList();
                return new AnnotatorStatus(node.Name, node.Version, [.. node.Dependencies.Select(d => pipeline.Nodes[d].Name)],
                    Math.Round(stats.Sum(a => Rate(a.Latest!.Done + a.Latest.Failed, a.Previous is null ? null : a.Previous.Done + a.Previous.Failed, a.Seconds)), 1),
                    stats.Select(a => a.Latest!.P50Ms).DefaultIfEmpty().Max(), stats.Select(a => a.Latest!.P99Ms).DefaultIfEmpty().Max(),
                    stats.Sum(a => a.Latest!.Running), stats.Sum(a => a.Latest!.Waiting), stats.Sum(a => a.Latest!.Done), stats.Sum(a => a.Latest!.Failed),
                    stats.Sum(a => a.Latest!.Skipped), gate.IsPaused(pipeline.Tag, node.Name), WorstCircuit(stats.Select(a => a.Latest!.Circuit)));
            }).ToList();
            var busiest = annotators.Where(a => a.Running + a.Waiting > 0).OrderByDescending(a => a.Running + a.Waiting).ThenByDescending(a => a.P50Ms).FirstOrDefault();
            return new PipelineStatus(pipeline.Tag, pipeline.VersionId,
                Math.Round(reports.Sum(r => Rate(r.Latest!.Completed, r.Previous?.Completed, r.Seconds)), 1),
                reports.Sum(r => r.Latest!.Completed), reports.Sum(r => r.Latest!.InFlight),
                reports.Select(r => r.Latest!.P50Ms).DefaultIfEmpty().Max(), reports.Select(r => r.Latest!.P99Ms).DefaultIfEmpty().Max(),
                busiest?.Name, annotators);
        }).ToList();
        return new StatusView(now, silos.Count, pipelines, [.. silos.SelectMany(s => s.Latest.Partitions).OrderBy(p => p.Pipeline).ThenBy(p => p.Partition)]);
    }

    /// <summary>A remote annotator's circuit across silos: open anywhere is open.</summary>
    private static string? WorstCircuit(IEnumerable<string?> circuits)
    {
        var known = circuits.OfType<string>().ToList();
        return known.Contains("open") ? "open" : known.Contains("half-open") ? "half-open" : known.FirstOrDefault();
    }

    private static double Rate(long now, long? before, double seconds) => before is null || seconds <= 0 ? 0 : Math.Max(0, now - before.Value) / seconds;
}
