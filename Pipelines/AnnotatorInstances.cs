using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Herald.Annotators;

namespace Herald.Pipelines;

/// <summary>
/// The implementation instances of a silo, one per annotator version (name@version) across all pipelines,
/// so a model loaded for prod is shared with a backfill that runs the same version. A version is immutable:
/// redefining name@version with another kind, other options or other contents in the files they name is refused.
/// </summary>
public sealed class AnnotatorInstances
{
    private readonly ConcurrentDictionary<string, Deployed> _byId;
    private readonly Lock _createLock = new();

    private readonly Meter? _meter;

    /// <param name="meter">The host's Herald meter, handed to every annotator that records metrics (<see cref="IMeasuredAnnotator"/>).</param>
    public AnnotatorInstances(Meter? meter = null) => (_byId, _meter) = (new(StringComparer.Ordinal), meter);

    // A scratch copy measures nothing: what it builds is discarded once the definition is checked.
    private AnnotatorInstances(ConcurrentDictionary<string, Deployed> existing) => _byId = new(existing, StringComparer.Ordinal);

    /// <summary>
    /// A scratch copy for validating a definition that may be rejected: it enforces the versions deployed so far, and what
    /// it adds does not reach this set (a rejected definition must not pin its annotator versions).
    /// </summary>
    public AnnotatorInstances Scratch() => new(_byId);

    /// <summary>
    /// Compiles one definition and, when it compiles cleanly, activates it here: the pipeline when both succeeded, else null
    /// with every problem in <paramref name="problems"/>.
    /// </summary>
    public CompiledPipeline? CompileAndActivate(PipelineCompiler compiler, string yaml, string source, string baseDirectory, List<PipelineProblem> problems)
    {
        var before = problems.Count;
        var pipeline = compiler.Compile(yaml, source, baseDirectory, problems);
        if (pipeline is not null && problems.Count == before) problems.AddRange(Activate(pipeline, compiler.Kinds));
        return problems.Count == before ? pipeline : null;
    }

    /// <summary>
    /// Deploying a compiled pipeline: builds (or finds) the instance of each of its annotator versions, loading models, and
    /// pins those versions. Returns every problem, located at the annotator's options; none means the pipeline can run here.
    /// All or nothing: when a node fails, the versions this call built are unpinned again, so a definition that fails on this silo
    /// (a model file missing here) does not hold versions that another definition may then declare differently.
    /// </summary>
    public IReadOnlyList<PipelineProblem> Activate(CompiledPipeline pipeline, AnnotatorKindCatalog kinds)
    {
        var problems = new List<PipelineProblem>();
        var built = new List<string>();
        foreach (var node in pipeline.Nodes)
        {
            try
            {
                kinds.TryGet(node.Spec.Kind, out var kind);
                GetOrCreate(node.Spec, kind, out var created);
                if (created) built.Add(node.AnnotatorId);
            }
            catch (AnnotatorConfigurationException e)
            {
                var message = $"annotator '{node.Name}' ({node.Spec.Kind}): {e.Message}";
                problems.Add(node.OptionsAt?.Problem(message) ?? new PipelineProblem(pipeline.Source, 0, 0, message));
            }
        }
        // Not disposed: a scratch copy being checked meanwhile may hold the instance; what nothing holds is collected.
        if (problems.Count > 0)
            foreach (var id in built) _byId.TryRemove(id, out _);
        return problems;
    }

    /// <summary>Returns the instance for the spec, creating it on first use; throws <see cref="AnnotatorConfigurationException"/>.</summary>
    public IAnnotator GetOrCreate(AnnotatorSpec spec, AnnotatorKind kind) => GetOrCreate(spec, kind, out _);

    private IAnnotator GetOrCreate(AnnotatorSpec spec, AnnotatorKind kind, out bool created)
    {
        created = false;
        var id = $"{spec.Name}@{spec.Version}";
        var files = AnnotatorFiles.Fingerprints(spec);
        if (!_byId.TryGetValue(id, out var existing))
        {
            // Building an instance may load a model: do it once, outside any hot path.
            lock (_createLock)
            {
                if (!_byId.TryGetValue(id, out existing))
                {
                    var instance = kind.Create(spec);
                    if (_meter is not null && instance is IMeasuredAnnotator measured) measured.MeasureWith(_meter);
                    existing = new Deployed(spec, files, instance);
                    _byId[id] = existing;
                    created = true;
                }
            }
        }
        if (existing.Spec.Kind != spec.Kind || !JsonNode.DeepEquals(existing.Spec.Options, spec.Options))
            throw new AnnotatorConfigurationException(
                $"{id} is already deployed with a different kind or options; an annotator version is immutable, so publish a new version");
        if (!existing.Files.SequenceEqual(files))
            throw new AnnotatorConfigurationException(
                $"{id} is already deployed, and the files its options name have changed since ({string.Join(", ", files.Except(existing.Files))}); " +
                "an annotator version is immutable, so publish a new version");
        return existing.Instance;
    }

    /// <summary>
    /// Checks every remote annotator of a pipeline against its service (reachable, model present, inputs known), in parallel,
    /// each within <paramref name="timeout"/>: what <c>herald pipelines validate</c> never does, and a deploy must.
    /// </summary>
    public async Task<IReadOnlyList<PipelineProblem>> CheckRemotesAsync(CompiledPipeline pipeline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var checks = pipeline.Nodes.Select(async node =>
        {
            if (Get(node.AnnotatorId) is not IRemoteAnnotator remote) return null;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await remote.CheckAsync(deadline.Token);
                return null;
            }
            catch (AnnotatorConfigurationException e)
            {
                return new PipelineProblem(pipeline.Source, 0, 0, $"annotator '{node.Name}' ({node.Spec.Kind}): {e.Message}");
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return new PipelineProblem(pipeline.Source, 0, 0, $"annotator '{node.Name}' ({node.Spec.Kind}): {remote.Endpoint} did not answer within {Durations.Format(timeout)}");
            }
        });
        return [.. (await Task.WhenAll(checks)).OfType<PipelineProblem>()];
    }

    private sealed record Deployed(AnnotatorSpec Spec, IReadOnlyList<string> Files, IAnnotator Instance);

    /// <summary>The instance for name@version, or null when no deployed pipeline declares it.</summary>
    public IAnnotator? Find(string annotatorId) => _byId.TryGetValue(annotatorId, out var entry) ? entry.Instance : null;

    /// <summary>The instance for name@version; throws when no deployed pipeline declares it.</summary>
    public IAnnotator Get(string annotatorId) =>
        _byId.TryGetValue(annotatorId, out var entry)
            ? entry.Instance
            : throw new InvalidOperationException($"annotator {annotatorId} is not deployed on this silo");
}
