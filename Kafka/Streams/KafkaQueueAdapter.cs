using Herald.Kafka.Hosting;
using Herald.Kafka.Publishing;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Herald.Kafka.Streams;

/// <summary>Read-only adapter: the input topic is written by Kafka producers, never through Orleans.</summary>
internal sealed class KafkaQueueAdapter(string name, string pipelineTag, KafkaConnection connection, HeraldProducer producer, KafkaInputLag lag, IGrainFactory grains, ILoggerFactory loggers)
    : IQueueAdapter
{
    public string Name => name;
    public bool IsRewindable => false;
    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new KafkaPartitionReceiver(pipelineTag, PartitionQueueMapper.PartitionOf(queueId), connection, producer, lag, grains, loggers.CreateLogger<KafkaPartitionReceiver>());

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException($"stream provider '{name}' only reads; produce documents to Kafka topic '{connection.Options.InputTopic}'");
}
