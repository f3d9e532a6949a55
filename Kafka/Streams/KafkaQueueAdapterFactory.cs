using Herald.Kafka.Hosting;
using Herald.Kafka.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Herald.Kafka.Streams;

/// <summary>Builds one pipeline's Kafka stream provider: a queue per input partition, read with that pipeline's consumer group.</summary>
public sealed class KafkaQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly KafkaQueueAdapter _adapter;
    private readonly PartitionQueueMapper _mapper;
    private readonly DocumentQueueAdapterCache _cache;

    public KafkaQueueAdapterFactory(string name, string pipelineTag, IServiceProvider services)
    {
        var connection = services.GetRequiredService<KafkaConnection>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        _adapter = new KafkaQueueAdapter(name, pipelineTag, connection, services.GetRequiredService<HeraldProducer>(), services.GetRequiredService<KafkaInputLag>(),
            services.GetRequiredService<IGrainFactory>(), loggers);
        _mapper = new PartitionQueueMapper(name, connection.InputPartitions);
        // Reads of a quarter of the in-flight limit: the agent reads no more while any new document's stream registers.
        var inFlight = connection.Options.MaxInFlightPerPartition;
        _cache = new DocumentQueueAdapterCache(inFlight, Math.Max(1, inFlight / 4));
    }

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(_adapter);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());
}
