using Herald.Grains.Control;
using Herald.Grains.Hosting;
using Herald.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Grains.Pipelines;

/// <summary>
/// Applies pipelines deployed or retired through the API (<see cref="ControlState.Deployments"/>) to this silo's registry.
/// Definitions were validated before they were accepted; model paths resolve against the pipelines folder.
/// </summary>
public sealed class PipelineDeployer(PipelineCompiler compiler, AnnotatorInstances instances, PipelineRegistry registry, IOptions<HeraldOptions> options,
    ILogger<PipelineDeployer> logger)
{
    private readonly Dictionary<string, string?> _applied = [];
    private readonly HashSet<(string, string)> _failed = [];

    public void Apply(ControlState state)
    {
        foreach (var (tag, yaml) in state.Deployments)
        {
            if (_applied.TryGetValue(tag, out var applied) && applied == yaml) continue;
            if (yaml is null)
            {
                _applied[tag] = null;
                if (registry.Retire(tag)) logger.LogInformation("Pipeline {Tag} retired", tag);
                continue;
            }
            var problems = new List<PipelineProblem>();
            try
            {
                if (instances.CompileAndActivate(compiler, yaml, $"api:{tag}", BaseDirectory(), problems) is { } pipeline)
                {
                    registry.Deploy(pipeline);
                    _applied[tag] = yaml;
                    logger.LogInformation("Pipeline {Tag} version {Version} deployed through the API", tag, pipeline.VersionId);
                    continue;
                }
            }
            catch (Exception e)
            {
                problems.Add(new PipelineProblem($"api:{tag}", 0, 0, e.Message));
            }
            // Not marked applied: tried again on the next tick (a missing model file may appear). Logged once per definition.
            if (_failed.Add((tag, yaml)))
                logger.LogError("Pipeline {Tag} from the API does not compile on this silo, which keeps its previous version: {Problems}", tag, string.Join("; ", problems));
        }
    }

    /// <summary>Where relative paths in API-deployed pipelines (models/x.onnx) point: the pipelines folder.</summary>
    public string BaseDirectory()
    {
        var path = Path.GetFullPath(options.Value.PipelinesPath);
        return Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? path;
    }
}
