using Microsoft.Extensions.Options;
using Herald.Annotators;
using Herald.Grains.Monitoring;
using Herald.Grains.Publishing;
using Herald.Kafka.Ingestion;
using Herald.Kafka.Publishing;
using Herald.Kafka.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Kafka.Hosting;

public static class KafkaSiloBuilderExtensions
{
    /// <summary>
    /// Connects the silo's pipelines to Kafka: every deployed pipeline reads the input topic in its own consumer group
    /// (deployed at run time too), and the central annotations topic is the document sink. Configuration: <see cref="KafkaOptions.Section"/>.
    /// </summary>
    public static ISiloBuilder AddHeraldKafka(this ISiloBuilder silo, Action<KafkaOptions>? configure = null)
    {
        var services = silo.Services;
        var options = services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>();
        services.AddSingleton<KafkaConnection>();
        services.AddSingleton<KafkaInputLag>();
        services.AddSingleton<IInputLagSource>(sp => sp.GetRequiredService<KafkaInputLag>());
        services.AddSingleton<HeraldProducer>();
        services.AddSingleton<IAnnotationSink, KafkaAnnotationSink>();
        services.AddSingleton<InputDeadLetters>();
        services.AddSingleton<DocumentDispatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, IngestionService>();
        // The transport of the kafka annotator kind (the silo adds the kind itself, with the other remote kinds).
        services.AddSingleton<KafkaWorkerTopics>();
        services.AddSingleton<IWorkerTopics>(sp => sp.GetRequiredService<KafkaWorkerTopics>());
        return silo;
    }
}
