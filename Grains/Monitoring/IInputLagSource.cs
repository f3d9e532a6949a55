namespace Herald.Grains.Monitoring;

/// <summary>Where this silo's input readers stand against their partitions' ends (the Kafka layer provides it).</summary>
public interface IInputLagSource
{
    IReadOnlyList<PartitionLag> Current();
}

internal sealed class NoInputLag : IInputLagSource
{
    public IReadOnlyList<PartitionLag> Current() => [];
}
