namespace Herald.Annotators;

/// <summary>
/// The Kafka transport of the <c>kafka</c> kind, provided by the silo's Kafka layer: a request goes to a topic that workers in
/// any language consume in their own group, and the call returns when a result with its correlation id comes back.
/// </summary>
public interface IWorkerTopics
{
    /// <summary>Where requests go, for errors and status: the topic on its cluster.</summary>
    string Describe(string requestTopic);

    /// <summary>
    /// Produces <paramref name="request"/> to <paramref name="requestTopic"/> keyed by <paramref name="key"/>, and returns the body of the
    /// first result on <paramref name="resultTopic"/> that carries <paramref name="correlationId"/>. Later results with that id are ignored.
    /// </summary>
    Task<byte[]> RequestAsync(string requestTopic, string resultTopic, string key, string correlationId, string annotator, byte[] request, CancellationToken cancellationToken);

    /// <summary>At deploy: both topics exist (created if the silo may create topics); throws <see cref="AnnotatorConfigurationException"/> otherwise.</summary>
    Task CheckAsync(string requestTopic, string resultTopic, CancellationToken cancellationToken);
}
