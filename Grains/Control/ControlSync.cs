using Herald.Grains.Pipelines;

namespace Herald.Grains.Control;

/// <summary>
/// Takes the cluster's run-time changes (deployed and retired pipelines, paused annotators) from the control grain into
/// this silo; the status reporter calls it before each report, so a report says which change version it applied.
/// </summary>
internal sealed class ControlSync(IGrainFactory grains, PipelineDeployer deployer, AnnotatorGate gate)
{
    public async Task SyncAsync()
    {
        var control = await grains.GetGrain<IPipelineControlGrain>(IPipelineControlGrain.Key).GetAsync();
        deployer.Apply(control);
        gate.Apply(control);
    }
}
