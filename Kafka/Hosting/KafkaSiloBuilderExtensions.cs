using Herald.Grains.Pipelines;
using Herald.Grains.Monitoring;
using Herald.Grains.Publishing;
using Herald.Kafka.Publishing;
using Herald.Kafka.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Herald.Kafka.Hosting;

public static class KafkaSiloBuilderExtensions
{
    /// <summary>
    /// Connects the silo's pipelines to Kafka: one stream provider per pipeline tag reading the input topic
    /// (each with its own consumer group and start position), and the central annotations topic as the
    /// document sink. Configuration: <see cref="KafkaOptions.Section"/>.
    /// </summary>
    public static ISiloBuilder AddHeraldKafka(this ISiloBuilder silo, IEnumerable<string> pipelineTags, Action<KafkaOptions>? configure = null)
    {
        var services = silo.Services;
        var options = services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section);
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<KafkaConnection>();
        services.AddSingleton<KafkaInputLag>();
        services.AddSingleton<IInputLagSource>(sp => sp.GetRequiredService<KafkaInputLag>());
        services.AddSingleton<HeraldProducer>();
        services.AddSingleton<IAnnotationSink, KafkaAnnotationSink>();
        var tags = pipelineTags.Distinct().ToArray();
        services.AddSingleton<IInputTags>(new KafkaInputTags(tags));

        foreach (var tag in tags)
        {
            silo.AddPersistentStreams(StreamProviderName(tag), (sp, name) => new KafkaQueueAdapterFactory(name, tag, sp), stream =>
            {
                stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                stream.ConfigurePullingAgent(agent => agent.Configure<IOptions<KafkaOptions>>((o, kafka) =>
                {
                    o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20);
                    // Every document is a stream of one event. The agent remembers each stream for this long (30
                    // minutes by default: every document seen in that time) and scans them all on each read.
                    o.StreamInactivityPeriod = TimeSpan.FromSeconds(5);
                    o.InitQueueTimeout = kafka.Value.ConnectTimeout;
                    // A document's whole run is one delivery: allow for slow models with retries.
                    o.MaxEventDeliveryTime = TimeSpan.FromMinutes(10);
                }));
            });
        }
        return silo;
    }

    public static string StreamProviderName(string pipelineTag) => $"kafka-{pipelineTag}";
}

/// <summary>The tags this silo reads the input topic for (one stream provider each).</summary>
internal sealed record KafkaInputTags(IReadOnlyCollection<string> Tags) : IInputTags;
