using Herald.Annotators;
using Herald.Grains.Hosting;
using Herald.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Herald.Grains.Pipelines;

/// <summary>
/// Loads every pipeline in <see cref="HeraldOptions.PipelinesPath"/> before the silo becomes active. Any problem
/// stops the silo with the full list: a silo never runs half a pipeline set.
/// </summary>
internal sealed class PipelineFolderLoader(
    IOptions<HeraldOptions> options,
    PipelineCompiler compiler,
    AnnotatorInstances instances,
    PipelineRegistry registry,
    ILogger<PipelineFolderLoader> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PipelineFolderLoader), ServiceLifecycleStage.ApplicationServices, _ => LoadAsync());

    private async Task LoadAsync()
    {
        var folder = options.Value.PipelinesPath;
        var problems = new List<PipelineProblem>();
        var pipelines = compiler.CompileAll(PipelineFiles.Read(folder), problems);
        if (problems.Count > 0) throw new PipelineValidationException(problems);
        if (pipelines.Count == 0) throw new PipelineValidationException([new(folder, 0, 0, "no pipeline definitions (*.yaml) found")]);
        foreach (var pipeline in pipelines) problems.AddRange(instances.Activate(pipeline, compiler.Kinds));
        if (problems.Count > 0) throw new PipelineValidationException(problems);
        foreach (var pipeline in pipelines)
        {
            // A service may start after the silo (pods come up in any order): its circuit breaker copes, so this only warns.
            foreach (var problem in await instances.CheckRemotesAsync(pipeline, RemoteCheckTimeout, CancellationToken.None))
                logger.LogWarning("Pipeline {Tag}: {Problem}; its documents fail that annotator until the service is there", pipeline.Tag, problem);
            registry.Deploy(pipeline);
            logger.LogInformation("Pipeline {Tag} version {Version} deployed from {Source}: {Annotators}",
                pipeline.Tag, pipeline.VersionId, pipeline.Source, string.Join(", ", pipeline.Nodes.Select(n => n.AnnotatorId)));
        }
    }

    private static readonly TimeSpan RemoteCheckTimeout = TimeSpan.FromSeconds(5);
}
