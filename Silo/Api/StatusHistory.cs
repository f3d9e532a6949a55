using Herald.Grains.Control;
using Herald.Grains.Monitoring;
using Herald.Grains.Pipelines;

namespace Herald.Silo.Api;

/// <summary>One annotator's recent samples, oldest first: throughput (documents/s) and p50 latency (ms).</summary>
public sealed record AnnotatorHistory(string Pipeline, string Annotator, IReadOnlyList<double> Throughput, IReadOnlyList<double> P50Ms);

/// <summary>What the page's sparklines draw: every annotator's last <see cref="Samples"/> samples, <see cref="Interval"/> apart.</summary>
public sealed record StatusHistoryView(double IntervalSeconds, IReadOnlyList<AnnotatorHistory> Annotators);

/// <summary>
/// Samples the cluster's status every <see cref="Interval"/> and keeps the last five minutes of each annotator's rate and
/// latency in this silo's memory, so a page opened now shows the recent past (any silo answers: each samples the whole cluster).
/// </summary>
public sealed class StatusHistory(IGrainFactory grains, PipelineRegistry registry, AnnotatorGate gate, TimeProvider time, ILogger<StatusHistory> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    public const int Samples = 150;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Pipeline, string Annotator), (Queue<double> Rate, Queue<double> P50)> _series = [];

    public StatusHistoryView Current()
    {
        lock (_lock)
            return new StatusHistoryView(Interval.TotalSeconds, [.. _series.OrderBy(s => s.Key.Pipeline, StringComparer.Ordinal)
                .Select(s => new AnnotatorHistory(s.Key.Pipeline, s.Key.Annotator, [.. s.Value.Rate], [.. s.Value.P50]))]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var status = StatusView.Of(await grains.GetGrain<IClusterStatusGrain>(IClusterStatusGrain.Key).GetAsync(), registry, gate, time.GetUtcNow());
                Record(status);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Could not sample the cluster's status");
            }
        }
    }

    private void Record(StatusView status)
    {
        lock (_lock)
        {
            var current = status.Pipelines.SelectMany(p => p.Annotators.Select(a => (Key: (p.Tag, a.Name), a))).ToList();
            // Retired pipelines and removed annotators stop being drawn.
            foreach (var gone in _series.Keys.Except(current.Select(c => c.Key)).ToList()) _series.Remove(gone);
            foreach (var (key, annotator) in current)
            {
                if (!_series.TryGetValue(key, out var series)) _series[key] = series = (new Queue<double>(), new Queue<double>());
                series.Rate.Enqueue(annotator.Throughput);
                series.P50.Enqueue(Math.Round(annotator.P50Ms, 1));
                if (series.Rate.Count > Samples) (_, _) = (series.Rate.Dequeue(), series.P50.Dequeue());
            }
        }
    }
}
