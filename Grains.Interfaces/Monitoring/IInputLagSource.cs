namespace Herald.Grains.Monitoring;

/// <summary>Where this silo's input readers stand against their partitions' ends (the Kafka layer provides it).</summary>
public interface IInputLagSource
{
    IReadOnlyList<PartitionLag> Current();
}

/// <summary>The name of the OpenTelemetry meter every part of Herald records into.</summary>
public static class HeraldMeter
{
    public const string Name = "Herald";
}
