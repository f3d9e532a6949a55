namespace Herald.Grains.Pipelines;

/// <summary>The pipeline tags an input layer (Kafka) reads for; fixed when the silo starts.</summary>
public interface IInputTags
{
    IReadOnlyCollection<string> Tags { get; }
}
