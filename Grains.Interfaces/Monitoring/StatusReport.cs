namespace Herald.Grains.Monitoring;

/// <summary>
/// One annotator of one pipeline as one silo saw it: cumulative counts, what is running and waiting now, recent latency, and
/// for a remote annotator its circuit breaker (<c>closed</c>, <c>open</c>, <c>half-open</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("herald.annotator-stats")]
public sealed record AnnotatorStats(
    [property: Id(0)] string Name,
    [property: Id(1)] long Done,
    [property: Id(2)] long Failed,
    [property: Id(3)] long Skipped,
    [property: Id(4)] long Running,
    [property: Id(5)] long Waiting,
    [property: Id(6)] double P50Ms,
    [property: Id(7)] double P99Ms,
    [property: Id(8)] string? Circuit = null);

/// <summary>One pipeline as one silo saw it.</summary>
[GenerateSerializer, Immutable, Alias("herald.pipeline-stats")]
public sealed record PipelineStats(
    [property: Id(0)] string Tag,
    [property: Id(1)] long Started,
    [property: Id(2)] long Completed,
    [property: Id(3)] long InFlight,
    [property: Id(4)] double P50Ms,
    [property: Id(5)] double P99Ms,
    [property: Id(6)] IReadOnlyList<AnnotatorStats> Annotators);

/// <summary>How far a pipeline's reader of one input partition is behind the partition's end.</summary>
[GenerateSerializer, Immutable, Alias("herald.partition-lag")]
public sealed record PartitionLag(
    [property: Id(0)] string Pipeline,
    [property: Id(1)] string Topic,
    [property: Id(2)] int Partition,
    [property: Id(3)] long Position,
    [property: Id(4)] long End)
{
    public long Lag => Math.Max(0, End - Position);
}

/// <summary>What one silo reports about itself every second.</summary>
[GenerateSerializer, Immutable, Alias("herald.silo-report")]
public sealed record SiloReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] IReadOnlyList<PipelineStats> Pipelines,
    [property: Id(3)] IReadOnlyList<PartitionLag> Partitions,
    [property: Id(4)] long ControlVersion,
    [property: Id(5)] string ControlEpoch);
