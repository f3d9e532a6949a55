using Herald.Annotators;
using Herald.Grains.Pipelines;
using Herald.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Herald.Grains.Storage;

namespace Herald.Grains.Hosting;

public static class HeraldSiloBuilderExtensions
{
    /// <summary>
    /// Adds Herald's engine to a silo: the built-in annotator kinds, the pipeline registry loaded from
    /// <see cref="HeraldOptions.PipelinesPath"/> at start-up, and the document storage (bounded, in this silo's
    /// memory, unless a provider named <see cref="HeraldStorage.Documents"/> is registered already).
    /// </summary>
    public static ISiloBuilder AddHerald(this ISiloBuilder silo, Action<HeraldOptions>? configure = null)
    {
        var services = silo.Services;
        var options = services.AddOptions<HeraldOptions>().BindConfiguration(HeraldOptions.Section);
        if (configure is not null) options.Configure(configure);

        foreach (var kind in BuiltInKinds.All) services.AddSingleton(kind);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AnnotatorKindCatalog(sp.GetServices<AnnotatorKind>()));
        services.TryAddSingleton<AnnotatorInstances>();
        services.TryAddSingleton<PipelineCompiler>();
        services.TryAddSingleton<PipelineRegistry>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PipelineFolderLoader>();

        if (!services.Any(s => s.IsKeyedService && Equals(s.ServiceKey, HeraldStorage.Documents)))
        {
            services.AddKeyedSingleton<IGrainStorage>(HeraldStorage.Documents, (sp, _) =>
                new BoundedMemoryGrainStorage(sp.GetRequiredService<IOptions<HeraldOptions>>().Value.CompletedDocumentsInMemory, sp.GetRequiredService<DeepCopier>()));
        }
        return silo;
    }
}
