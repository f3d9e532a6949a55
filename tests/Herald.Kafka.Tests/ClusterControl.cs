using Herald.Grains.Control;
using Herald.Grains.Monitoring;

namespace Herald.Kafka.Tests;

/// <summary>Operating an in-process cluster as the HTTP API does: pause or resume an annotator, read what the silos report.</summary>
public static class ClusterControl
{
    /// <summary>Pauses or resumes an annotator and waits until every silo has applied it (they poll the control state each second).</summary>
    public static async Task SetPausedAsync(IGrainFactory grains, string pipeline, string annotator, bool paused)
    {
        var state = await grains.GetGrain<IPipelineControlGrain>(IPipelineControlGrain.Key).SetPausedAsync(pipeline, annotator, paused);
        await UntilAsync(grains, silos => silos.Count > 0 && silos.All(s => s.ControlEpoch == state.Epoch && s.ControlVersion >= state.Version),
            $"every silo to apply {(paused ? "pausing" : "resuming")} {pipeline}/{annotator}");
    }

    /// <summary>Waits until the silos' latest reports (sent each second) satisfy <paramref name="condition"/>.</summary>
    public static async Task UntilAsync(IGrainFactory grains, Func<IReadOnlyList<SiloReport>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var silos = (await grains.GetGrain<IClusterStatusGrain>(IClusterStatusGrain.Key).GetAsync()).Select(s => s.Latest).ToList();
            if (condition(silos)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 60 s for {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>Documents of a pipeline whose runs have finished, by the silos' latest reports.</summary>
    public static long Completed(IReadOnlyList<SiloReport> silos, string pipeline) =>
        silos.SelectMany(s => s.Pipelines).Where(p => p.Tag == pipeline).Sum(p => p.Completed);
}
