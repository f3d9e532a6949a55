namespace Herald.Client;

/// <summary>The cluster's flow (<c>GET /api/status</c>): every pipeline and annotator, and the lag of every input partition.</summary>
public sealed record ClusterStatus(DateTimeOffset At, int Silos, IReadOnlyList<PipelineStatus> Pipelines, IReadOnlyList<PartitionLag> Partitions);

/// <summary>
/// One pipeline across the cluster: documents per second, completed and in flight, latency, and the annotator with the
/// most documents running or waiting at it (<see cref="Bottleneck"/>).
/// </summary>
public sealed record PipelineStatus(string Tag, string Version, double Throughput, long Completed, long InFlight, double P50Ms, double P99Ms,
    string? Bottleneck, IReadOnlyList<AnnotatorStatus> Annotators);

/// <summary>One annotator across the cluster. <see cref="Circuit"/> is a remote annotator's circuit breaker (<c>closed</c>, <c>half-open</c>, <c>open</c>).</summary>
public sealed record AnnotatorStatus(string Name, string Version, IReadOnlyList<string> Requires, double Throughput, double P50Ms, double P99Ms,
    long Running, long Waiting, long Done, long Errors, long Skipped, bool Paused, string? Circuit);

/// <summary>How far one pipeline's reading of one input partition is behind its end.</summary>
public sealed record PartitionLag(string Pipeline, string Topic, int Partition, long Position, long End, long Lag);
