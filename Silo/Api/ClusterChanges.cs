using Herald.Grains.Control;
using Herald.Grains.Monitoring;

namespace Herald.Silo.Api;

/// <summary>Run-time changes (deploy, retire, pause, resume) go to the control grain; this waits until every silo applied them.</summary>
public sealed class ClusterChanges(IGrainFactory grains)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public IPipelineControlGrain Control => grains.GetGrain<IPipelineControlGrain>(IPipelineControlGrain.Key);

    /// <summary>How many of the live silos have applied <paramref name="version"/> of the control state, once all have or after a few seconds.</summary>
    public async Task<(int Applied, int Silos)> WaitAppliedAsync(string epoch, long version)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var silos = await grains.GetGrain<IClusterStatusGrain>(IClusterStatusGrain.Key).GetAsync();
            var applied = silos.Count(s => s.Latest.ControlEpoch == epoch && s.Latest.ControlVersion >= version);
            // No report at all (the status grain just moved) proves nothing: wait for the silos to report again.
            if ((silos.Count > 0 && applied == silos.Count) || DateTime.UtcNow > deadline) return (applied, silos.Count);
            await Task.Delay(100);
        }
    }
}
