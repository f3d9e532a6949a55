using Herald.Annotators;
using Herald.Grains.Control;
using Herald.Grains.Pipelines;
using Herald.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Grains.Monitoring;

/// <summary>
/// Once a second: brings this silo up to the cluster's run-time changes (<see cref="ControlSync"/>), then reports its
/// <see cref="SiloReport"/> (with the change version it applied) to the cluster status grain.
/// </summary>
internal sealed class StatusReporter(
    IGrainFactory grains, ILocalSiloDetails silo, PipelineMonitor monitor, ControlSync control, AnnotatorGate gate, IInputLagSource lag,
    PipelineRegistry registry, AnnotatorInstances instances, TimeProvider time, ILogger<StatusReporter> logger)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                await control.SyncAsync();
                var report = new SiloReport(silo.SiloAddress.ToString(), time.GetUtcNow(), WithCircuits(monitor.Snapshot()), lag.Current(), gate.Version, gate.Epoch);
                await grains.GetGrain<IClusterStatusGrain>(IClusterStatusGrain.Key).ReportAsync(report);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The cluster may be starting or changing; the next tick tries again.
                logger.LogDebug(e, "Could not exchange status with the cluster");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Adds each remote annotator's circuit state, which its instance (not the run counters) knows.</summary>
    private IReadOnlyList<PipelineStats> WithCircuits(IReadOnlyList<PipelineStats> pipelines) =>
        [.. pipelines.Select(p => registry.Find(p.Tag) is not { } pipeline ? p : p with
        {
            Annotators = [.. p.Annotators.Select(a => pipeline.Find(a.Name) is { } node && instances.Find(node.AnnotatorId) is IRemoteAnnotator remote
                ? a with { Circuit = remote.Circuit switch { CircuitState.Open => "open", CircuitState.HalfOpen => "half-open", _ => "closed" } }
                : a)],
        })];
}
