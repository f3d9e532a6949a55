using Herald.Annotators;
using Herald.Grains.Control;
using Herald.Grains.Pipelines;
using Herald.Pipelines;

namespace Herald.Grains.Monitoring;

/// <summary>
/// Reports this silo's <see cref="SiloReport"/> (its pipelines' counters, input lag, and the change version it applied) to
/// the cluster status grain; <see cref="Control.ControlLoop"/> calls it once a second, after applying the cluster's changes.
/// </summary>
internal sealed class StatusReporter(
    IGrainFactory grains, ILocalSiloDetails silo, PipelineMonitor monitor, AnnotatorGate gate, IInputLagSource lag,
    PipelineRegistry registry, AnnotatorInstances instances, TimeProvider time)
{
    public async Task ReportAsync()
    {
        var report = new SiloReport(silo.SiloAddress.ToString(), time.GetUtcNow(), WithCircuits(monitor.Snapshot()), lag.Current(), gate.Version, gate.Epoch);
        await grains.GetGrain<IClusterStatusGrain>(IClusterStatusGrain.Key).ReportAsync(report);
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
