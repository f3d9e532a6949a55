using Orleans.Concurrency;

namespace Herald.Grains.Monitoring;

/// <summary>
/// Gathers every silo's latest <see cref="SiloReport"/> (each silo reports once a second), so one call shows the
/// whole cluster. Key: <see cref="Key"/>.
/// </summary>
public interface IClusterStatusGrain : IGrainWithStringKey
{
    const string Key = "cluster";

    Task ReportAsync(SiloReport report);

    /// <summary>The two latest reports of every silo heard from recently (the pair gives rates).</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<(SiloReport Latest, SiloReport? Previous)>> GetAsync();
}
