namespace Herald.Grains.Monitoring;

/// <summary>No input layer: no lag to report.</summary>
internal sealed class NoInputLag : IInputLagSource
{
    public IReadOnlyList<PartitionLag> Current() => [];
}
