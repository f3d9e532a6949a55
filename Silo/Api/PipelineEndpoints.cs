using System.Text;
using Herald.Annotators;
using Herald.Grains.Pipelines;
using Herald.Pipelines;

namespace Herald.Silo.Api;

/// <summary>Pipelines: list, inspect, deploy (validated first), retire; and pausing or resuming one of their annotators.</summary>
public static class PipelineEndpoints
{
    public static void Map(RouteGroupBuilder api, BearerToken token)
    {
        api.MapGet("/pipelines", (PipelineRegistry registry) => Results.Ok(registry.Current.Select(PipelineView.Of)))
            .WithSummary("The deployed pipelines with their annotators and dependencies");
        api.MapGet("/pipelines/{tag}", (string tag, PipelineRegistry registry) =>
                registry.Find(tag) is { } pipeline ? Results.Ok(PipelineView.Of(pipeline)) : Problems.NotDeployed(tag, registry))
            .WithSummary("One deployed pipeline, with its YAML").ProducesProblem(404);
        api.MapPut("/pipelines/{tag}", DeployAsync).AddEndpointFilter(token)
            .WithSummary("Validates a pipeline definition (YAML body) and deploys it as the tag's new version, without a restart")
            .WithDescription("Documents in flight finish on the version they started with. A rejected definition returns every problem (file:line:col) and changes nothing.")
            .Accepts<string>("application/yaml", "text/yaml", "text/plain").ProducesProblem(400).ProducesProblem(401).ProducesProblem(422);
        api.MapDelete("/pipelines/{tag}", RetireAsync).AddEndpointFilter(token)
            .WithSummary("Retires a pipeline: new documents for it are refused; running ones finish").ProducesProblem(401).ProducesProblem(404);
        api.MapPost("/annotators/{pipeline}/{name}/pause", (string pipeline, string name, PipelineRegistry registry, ClusterChanges changes) =>
                SetPausedAsync(pipeline, name, true, registry, changes)).AddEndpointFilter(token)
            .WithSummary("Pauses an annotator: documents reaching it wait (none fail, none are lost) until it is resumed").ProducesProblem(401).ProducesProblem(404);
        api.MapPost("/annotators/{pipeline}/{name}/resume", (string pipeline, string name, PipelineRegistry registry, ClusterChanges changes) =>
                SetPausedAsync(pipeline, name, false, registry, changes)).AddEndpointFilter(token)
            .WithSummary("Resumes a paused annotator and releases the documents waiting at it").ProducesProblem(401).ProducesProblem(404);
    }

    private static readonly TimeSpan RemoteCheckTimeout = TimeSpan.FromSeconds(10);

    private static async Task<IResult> DeployAsync(string tag, HttpRequest request, PipelineCompiler compiler, AnnotatorInstances instances,
        PipelineDeployer deployer, ClusterChanges changes)
    {
        string yaml;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            yaml = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(yaml)) return Problems.BadRequest("the body must be the pipeline's YAML definition");

        var problems = new List<PipelineProblem>();
        var source = $"{tag}.yaml";
        // Activated on a scratch copy of the deployed annotator versions: its models load and its versions are checked
        // against those deployed, and a rejection leaves nothing behind.
        var scratch = instances.Scratch();
        var pipeline = scratch.CompileAndActivate(compiler, yaml, source, deployer.BaseDirectory(), problems);
        if (problems.Count > 0 || pipeline is null)
            return Problems.Invalid($"the definition of pipeline '{tag}' has {problems.Count} problem(s); nothing was deployed", problems.Select(p => p.ToString()));
        if (pipeline.Tag != tag)
            return Problems.BadRequest($"the definition says 'pipeline: {pipeline.Tag}' but was sent to /api/pipelines/{tag}");
        // Activation: remote annotators' services must be there and fit their options before the cluster takes the pipeline.
        var remote = await scratch.CheckRemotesAsync(pipeline, RemoteCheckTimeout, request.HttpContext.RequestAborted);
        if (remote.Count > 0)
            return Problems.Invalid($"pipeline '{tag}' has {remote.Count} remote annotator(s) that cannot serve it; nothing was deployed", remote.Select(p => p.ToString()));

        var state = await changes.Control.SetDeploymentAsync(tag, yaml);
        var (applied, silos) = await changes.WaitAppliedAsync(state.Epoch, state.Version);
        // Every silo that applied it starts reading the input topic for it within a second (its own consumer group).
        return Results.Ok(new { tag, version = pipeline.VersionId, appliedBySilos = applied, silos });
    }

    private static async Task<IResult> RetireAsync(string tag, PipelineRegistry registry, ClusterChanges changes)
    {
        if (registry.Find(tag) is null) return Problems.NotDeployed(tag, registry);
        var state = await changes.Control.SetDeploymentAsync(tag, null);
        var (applied, silos) = await changes.WaitAppliedAsync(state.Epoch, state.Version);
        return Results.Ok(new { tag, retired = true, appliedBySilos = applied, silos });
    }

    private static async Task<IResult> SetPausedAsync(string pipeline, string name, bool paused, PipelineRegistry registry, ClusterChanges changes)
    {
        if (registry.Find(pipeline) is not { } compiled) return Problems.NotDeployed(pipeline, registry);
        if (compiled.Find(name) is null)
            return Problems.NotFound($"pipeline '{pipeline}' has no annotator '{name}' (it has {string.Join(", ", compiled.Nodes.Select(n => n.Name))})");
        var state = await changes.Control.SetPausedAsync(pipeline, name, paused);
        var (applied, silos) = await changes.WaitAppliedAsync(state.Epoch, state.Version);
        return Results.Ok(new { pipeline, annotator = name, paused, appliedBySilos = applied, silos });
    }
}
