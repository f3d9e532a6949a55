using System.Diagnostics;
using System.Text.Json;
using Herald.Grains.Annotators;
using Herald.Grains.Control;
using Herald.Grains.Monitoring;
using Herald.Grains.Publishing;
using Herald.Pipelines;

namespace Herald.Grains.Documents;

/// <summary>
/// Executes one document through one compiled pipeline: starts every annotator whose dependencies are
/// finished, all at once, records each result as it arrives and starts what became ready. A dependency that
/// failed or was skipped, or a false <c>when</c>, skips the annotator (and so everything below it). Every call
/// has a timeout, and failures are retried with exponential backoff, so a run always ends. Each record is
/// published to the sink as it happens; the run returns only once everything it published is durable.
/// All continuations run on the document grain's single-threaded scheduler: no locking needed. An annotator that is
/// paused holds the run before it is called (<see cref="AnnotatorGate"/>). A backfill hands in an earlier run's results
/// (<paramref name="reusable"/>): an annotator whose name@version is among them, done, and whose dependencies were all reused
/// too, takes its recorded result instead of being called, so only what changed, and what depends on it, runs.
/// </summary>
internal sealed class DocumentRun(
    CompiledPipeline pipeline, DocumentInput input, DocumentRunServices services, IAnnotationSink sink, IReadOnlyList<AnnotationRecord>? reusable = null)
{
    // The run's span continues the trace the document came with; its records, and calls to annotators, carry the span on.
    private readonly Activity? _span = StartSpan(pipeline, input);
    private DocumentInput Document => field ??= _span is null ? input : input with { TraceParent = _span.Id };

    private readonly TimeProvider _time = services.Time;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly AnnotationRecord?[] _records = new AnnotationRecord?[pipeline.Nodes.Count];
    private readonly bool[] _started = new bool[pipeline.Nodes.Count];
    private readonly JsonElement?[] _values = new JsonElement?[pipeline.Nodes.Count];
    private readonly List<AnnotationRecord> _finished = new(pipeline.Nodes.Count);
    private readonly TaskCompletionSource _completed = new();
    private readonly IDocumentPublication _publication = sink.Begin(input.Id);
    private readonly DateTimeOffset _startedAt = services.Time.GetUtcNow();
    private DateTimeOffset? _completedAt;
    private int _running;

    public async Task<DocumentSnapshot> RunAsync()
    {
        services.Monitor.DocumentStarted(pipeline.Tag);
        StartReady();
        await _completed.Task;
        _completedAt = _time.GetUtcNow();
        _span?.SetTag("herald.failed", _finished.Count(r => r.Status == AnnotationStatus.Failed));
        _span?.Dispose();
        services.Monitor.DocumentCompleted(pipeline.Tag, (_completedAt.Value - _startedAt).TotalMilliseconds, _finished.Any(r => r.Status == AnnotationStatus.Failed));
        var snapshot = Snapshot();
        await _publication.CompletedAsync(snapshot);
        return snapshot;
    }

    private static Activity? StartSpan(CompiledPipeline pipeline, DocumentInput input)
    {
        var span = HeraldTracing.Start("herald.document", ActivityKind.Internal, input.TraceParent);
        span?.SetTag("herald.pipeline", pipeline.Tag).SetTag("herald.pipeline.version", pipeline.VersionId).SetTag("herald.document.id", input.Id);
        return span;
    }

    public DocumentSnapshot Snapshot() => new(
        pipeline.Tag,
        pipeline.VersionId,
        Document,
        [.. _finished],
        _completedAt is null ? DocumentStatus.Running : DocumentStatus.Complete,
        _finished.Count + (_completedAt is null ? 0 : 1),
        _startedAt,
        _completedAt);

    /// <summary>One pass in topological order settles every node whose dependencies are all finished.</summary>
    private void StartReady()
    {
        foreach (var node in pipeline.Nodes)
        {
            if (_started[node.Index] || !DependenciesFinished(node)) continue;
            _started[node.Index] = true;
            if (SkipReason(node) is { } reason)
            {
                var skipped = new AnnotationRecord(node.Name, node.Version, AnnotationStatus.Skipped, null, reason, 0, 0, _time.GetUtcNow());
                services.Monitor.AnnotatorFinished(pipeline.Tag, skipped, ran: false);
                Record(node.Index, skipped);
            }
            else if (Reusable(node) is { } earlier)
            {
                var reused = earlier with { Reused = true };
                services.Monitor.AnnotatorFinished(pipeline.Tag, reused, ran: false);
                Record(node.Index, reused);
            }
            else
            {
                _running++;
                _ = RunAndRecordAsync(node);
            }
        }
        if (_running == 0) _completed.TrySetResult();
    }

    // A loop, not LINQ: this runs for every node after every result, and a lambda over this run allocates each time.
    private bool DependenciesFinished(PipelineNode node)
    {
        foreach (var dependency in node.Dependencies)
            if (_records[dependency] is null) return false;
        return true;
    }

    private async Task RunAndRecordAsync(PipelineNode node)
    {
        try
        {
            await services.Gate.WaitWhilePausedAsync(pipeline.Tag, node.Name);
            services.Monitor.AnnotatorStarted(pipeline.Tag, node.Name);
            var record = await RunAsync(node);
            services.Monitor.AnnotatorFinished(pipeline.Tag, record, ran: true);
            _running--;
            Record(node.Index, record);
            StartReady();
        }
        catch (Exception e)
        {
            // Nobody awaits this task: surface the failure through the run instead of leaving it hanging.
            _completed.TrySetException(e);
        }
    }

    private string? SkipReason(PipelineNode node)
    {
        for (var i = 0; i < node.Dependencies.Length; i++)
        {
            var record = _records[node.Dependencies[i]]!;
            if (record.Status != AnnotationStatus.Done && !node.Optional[i])
                return $"dependency '{record.Name}' {record.Status.Name()}";
        }
        if (node.When is { } when && !when.Evaluate(ValueOf))
            return $"condition is false: {when.Text}";
        return null;
    }

    private AnnotationRecord? Reusable(PipelineNode node)
    {
        if (reusable is null) return null;
        foreach (var dependency in node.Dependencies)
            if (_records[dependency]?.Reused != true) return null;
        foreach (var earlier in reusable)
            if (earlier.Name == node.Name && earlier.Version == node.Version && earlier.Status == AnnotationStatus.Done && earlier.Output is not null)
                return earlier;
        return null;
    }

    private JsonElement? ValueOf(string name)
    {
        if (pipeline.Find(name) is not { } node || _records[node.Index]?.Output is not { } output) return null;
        return _values[node.Index] ??= JsonElement.Parse(output.ValueJson);
    }

    /// <summary>Calls the annotator until it succeeds or its retries are spent; never throws.</summary>
    private async Task<AnnotationRecord> RunAsync(PipelineNode node)
    {
        var annotator = services.Annotators.Get(node.AnnotatorId);
        // An optional dependency that failed or was skipped is left out: the annotator sees it as missing.
        var dependencies = node.Dependencies.Select(d => _records[d]!).Where(r => r.Status == AnnotationStatus.Done).ToArray();
        var started = _time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            string error;
            try
            {
                var output = await annotator.AnnotateAsync(Document, dependencies, node.Timeout).WaitAsync(services.Deadlines.After(node.Timeout));
                return Finish(node, AnnotationStatus.Done, output, null, started, attempt);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Either deadline may fire first: the one awaited here, or the annotator grain's own.
                error = $"timed out after {Durations.Format(node.Timeout)}";
            }
            catch (Exception e)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }
            if (attempt > node.Retries)
                return Finish(node, AnnotationStatus.Failed, null, error, started, attempt);
            await Task.Delay(Backoff(attempt), _time);
        }
    }

    private AnnotationRecord Finish(PipelineNode node, AnnotationStatus status, AnnotationOutput? output, string? detail, long started, int attempts) =>
        new(node.Name, node.Version, status, output, detail, _time.GetElapsedTime(started).TotalMilliseconds, attempts, _time.GetUtcNow());

    private static TimeSpan Backoff(int attempt)
    {
        var exponential = FirstBackoff * Math.Pow(2, attempt - 1);
        var capped = exponential < MaxBackoff ? exponential : MaxBackoff;
        return capped * (0.8 + 0.4 * Random.Shared.NextDouble()); // jitter: retries of many documents do not align
    }

    private void Record(int node, AnnotationRecord record)
    {
        _records[node] = record;
        _finished.Add(record);
        if (sink.PublishesEachAnnotation) _publication.Annotated(Snapshot());
    }
}
