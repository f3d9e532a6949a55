namespace Herald.Grains.Monitoring;

/// <summary>Keeps the two latest reports of each silo; a silo silent for <see cref="Stale"/> is left out (dead or gone).</summary>
internal sealed class ClusterStatusGrain(TimeProvider time) : Grain, IClusterStatusGrain
{
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, (SiloReport Latest, SiloReport? Previous)> _silos = [];

    public Task ReportAsync(SiloReport report)
    {
        _silos[report.Silo] = (report, _silos.TryGetValue(report.Silo, out var known) ? known.Latest : null);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(SiloReport Latest, SiloReport? Previous)>> GetAsync()
    {
        var now = time.GetUtcNow();
        IReadOnlyList<(SiloReport, SiloReport?)> fresh = [.. _silos.Values.Where(s => now - s.Latest.At < Stale).OrderBy(s => s.Latest.Silo, StringComparer.Ordinal)];
        return Task.FromResult(fresh);
    }
}
