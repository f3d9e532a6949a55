using Orleans.Streams;

namespace Herald.Kafka.Streams;

/// <summary>
/// One Orleans queue per input partition (queue numeric id = partition). Queues sit at even points of the
/// consistent hash ring, so Orleans' ring balancer spreads partitions over the silos and moves them when a
/// silo joins or dies.
/// </summary>
internal sealed class PartitionQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;

    public PartitionQueueMapper(string providerName, int partitions) =>
        _queues = Enumerable.Range(0, partitions)
            .Select(p => QueueId.GetQueueId(providerName, (uint)p, (uint)((ulong)uint.MaxValue * (ulong)p / (ulong)partitions)))
            .ToArray();

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => _queues.Where(q => range.InRange(q.GetUniformHashCode()));

    // Only used to write through Orleans, which this read-only provider does not do; kept consistent anyway.
    public QueueId GetQueueForStream(StreamId streamId) => _queues[(uint)streamId.GetHashCode() % (uint)_queues.Length];

    public static int PartitionOf(QueueId queue) => (int)queue.GetNumericId();
}
