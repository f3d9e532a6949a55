namespace Herald.Annotators;

/// <summary>The state of a remote annotator's circuit breaker: <c>closed</c> (calls go through), <c>open</c> (they fail fast), <c>half-open</c> (one probes).</summary>
public enum CircuitState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>
/// An annotator that calls a service outside the silo. Building it does no I/O, so validating a pipeline never calls out;
/// <see cref="CheckAsync"/> runs when a pipeline is deployed, and refuses the deploy with what is wrong.
/// </summary>
public interface IRemoteAnnotator : IAnnotator
{
    /// <summary>Where it calls: a URL or a Kafka topic, for errors and status.</summary>
    string Endpoint { get; }

    CircuitState Circuit { get; }

    /// <summary>Checks that the service is there and fits the options; throws <see cref="AnnotatorConfigurationException"/> naming the endpoint and the reason.</summary>
    Task CheckAsync(CancellationToken cancellationToken);
}
