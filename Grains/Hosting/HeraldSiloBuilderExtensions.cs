using Herald.Annotators;
using Herald.Grains.Annotators;
using Herald.Grains.Control;
using Herald.Grains.Documents;
using Herald.Grains.Monitoring;
using Herald.Grains.Pipelines;
using Herald.Grains.Publishing;
using Herald.Grains.Storage;
using Herald.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Herald.Grains.Hosting;

public static class HeraldSiloBuilderExtensions
{
    private const int DirectoryCacheSize = 10_000;

    /// <summary>
    /// Adds Herald's engine to a silo: the built-in rule kinds (model and remote kinds are the host's to add with
    /// <see cref="AddHeraldKinds"/>, so the engine depends on neither), the pipeline registry loaded from
    /// <see cref="HeraldOptions.PipelinesPath"/> at start-up, and the document storage (bounded, in this silo's
    /// memory, unless a provider named <see cref="HeraldStorage.Documents"/> is registered already).
    /// </summary>
    public static ISiloBuilder AddHerald(this ISiloBuilder silo, Action<HeraldOptions>? configure = null)
    {
        var services = silo.Services;
        var options = services.AddOptions<HeraldOptions>().BindConfiguration(HeraldOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HeraldOptions>, HeraldOptionsValidator>();
        if (configure is not null) options.Configure(configure);

        foreach (var kind in BuiltInKinds.All) services.AddSingleton(kind);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SharedDeadlines>();
        services.TryAddSingleton(sp => new AnnotatorKindCatalog(sp.GetServices<AnnotatorKind>()));
        services.TryAddSingleton(sp => new AnnotatorInstances(sp.GetRequiredService<HeraldMetrics>().Meter));
        // Annotator timeouts must stay below the silo's call timeout, or calls would be cut short: checked when pipelines load.
        services.TryAddSingleton(sp => new PipelineCompiler(sp.GetRequiredService<AnnotatorKindCatalog>())
        {
            MaxTimeout = sp.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout,
        });
        services.TryAddSingleton<PipelineRegistry>();
        services.TryAddSingleton<IDeployedPipelines>(sp => sp.GetRequiredService<PipelineRegistry>());
        services.TryAddSingleton(typeof(GrainReferences<>));
        services.AddMetrics();
        services.TryAddSingleton<HeraldMetrics>();
        services.TryAddSingleton<PipelineMonitor>();
        services.TryAddSingleton<AnnotatorGate>();
        services.TryAddSingleton<DocumentRunServices>();
        services.TryAddSingleton<PipelineDeployer>();
        services.TryAddSingleton<StatusReporter>();
        services.TryAddSingleton<IInputLagSource, NoInputLag>();
        services.AddHostedService<ControlLoop>();
        services.TryAddSingleton<IAnnotationSink, NoAnnotationSink>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PipelineFolderLoader>();

        // Each document grain is addressed for one run only, so caching grain locations (1M entries by default)
        // buys nothing and holds about 300 bytes per document ever seen. Later Configure calls may raise it.
        services.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);

        if (!services.Any(s => s.IsKeyedService && Equals(s.ServiceKey, HeraldStorage.Control)))
            silo.AddMemoryGrainStorage(HeraldStorage.Control);
        if (!services.Any(s => s.IsKeyedService && Equals(s.ServiceKey, HeraldStorage.Documents)))
        {
            services.AddKeyedSingleton<IGrainStorage>(HeraldStorage.Documents, (sp, _) =>
                new BoundedMemoryGrainStorage(sp.GetRequiredService<IOptions<HeraldOptions>>().Value.CompletedDocumentsInMemory, sp.GetRequiredService<Serializer>()));
        }
        return silo;
    }

    /// <summary>Adds annotator kinds beyond the built-in ones (remote services, a team's own) to the silo's catalog.</summary>
    public static ISiloBuilder AddHeraldKinds(this ISiloBuilder silo, IEnumerable<AnnotatorKind> kinds)
    {
        foreach (var kind in kinds) silo.Services.AddSingleton(kind);
        return silo;
    }
}
