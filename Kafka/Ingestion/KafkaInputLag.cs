using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Herald.Grains.Monitoring;

namespace Herald.Kafka.Ingestion;

/// <summary>
/// Where each of this silo's partition readers stands against its partition's end: the status view's consumer lag,
/// and the <c>herald.kafka.lag</c> gauge of the <c>Herald</c> meter.
/// </summary>
internal sealed class KafkaInputLag : IInputLagSource
{
    private readonly ConcurrentDictionary<(string Pipeline, string Topic, int Partition), PartitionLag> _readers = new();

    // One gauge on the silo's Herald meter (the factory hands every caller the same one): this is a singleton per silo.
    public KafkaInputLag(IMeterFactory meters) =>
        meters.Create(HeraldMeter.Name).CreateObservableGauge("herald.kafka.lag", () => _readers.Values.Select(r => new Measurement<long>(r.Lag,
            new KeyValuePair<string, object?>("pipeline", r.Pipeline), new KeyValuePair<string, object?>("topic", r.Topic),
            new KeyValuePair<string, object?>("partition", r.Partition))), "{message}", "messages between a pipeline's reader and its partition's end");

    public void Update(string pipeline, string topic, int partition, long position, long end) =>
        _readers[(pipeline, topic, partition)] = new PartitionLag(pipeline, topic, partition, position, end);

    public void Remove(string pipeline, string topic, int partition) => _readers.TryRemove((pipeline, topic, partition), out _);

    public IReadOnlyList<PartitionLag> Current() => [.. _readers.Values.OrderBy(r => r.Pipeline, StringComparer.Ordinal).ThenBy(r => r.Partition)];
}
