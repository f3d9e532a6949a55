using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Herald.Annotators;

namespace Herald.Tests.Engine;

/// <summary>Options of the test-only <c>probe</c> kind: controllable latency, failures, hangs and rendezvous.</summary>
public sealed class ProbeOptions
{
    public int DelayMs { get; set; }

    /// <summary>Fail the first N attempts for each document.</summary>
    public int FailTimes { get; set; }

    /// <summary>Wait this long, honouring cancellation (for timeout tests).</summary>
    public int HangMs { get; set; }

    /// <summary>Rendezvous name: the annotator waits until <see cref="Parties"/> annotators of the same document arrive.</summary>
    public string? Barrier { get; set; }

    public int Parties { get; set; } = 2;

    public JsonNode? Value { get; set; }
}

/// <summary>One call of a probe annotator, as the test sees it.</summary>
public sealed record ProbeCall(string Document, string Annotator, int Attempt, long StartTicks, long EndTicks, bool Cancelled, IReadOnlyList<string> DependenciesSeen);

/// <summary>
/// A real annotator kind for engine tests. Silos of an in-process cluster share this process, so the
/// static <see cref="Calls"/> log sees every call on every silo.
/// </summary>
public sealed class ProbeAnnotator(string name, ProbeOptions options) : IAnnotator
{
    public static readonly ConcurrentQueue<ProbeCall> Calls = new();
    private static readonly ConcurrentDictionary<string, int> Attempts = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Barriers = new();
    private static readonly ConcurrentDictionary<string, int> Arrivals = new();

    public static AnnotatorKind Kind { get; } = new AnnotatorKind<ProbeOptions>("probe", "test probe", (o, spec) => new ProbeAnnotator(spec.Name, o));

    public static IReadOnlyList<ProbeCall> CallsFor(string documentId) => Calls.Where(c => c.Document == documentId).ToList();

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var documentId = input.Document.Id;
        var attempt = Attempts.AddOrUpdate($"{documentId}/{name}", 1, (_, n) => n + 1);
        var start = DateTime.UtcNow.Ticks;
        var cancelled = false;
        try
        {
            if (options.Barrier is { } barrier) await RendezvousAsync($"{documentId}/{barrier}");
            if (options.DelayMs > 0) await Task.Delay(options.DelayMs, CancellationToken.None);
            if (options.HangMs > 0) await Task.Delay(options.HangMs, cancellationToken);
            if (attempt <= options.FailTimes) throw new InvalidOperationException($"probe {name} failing attempt {attempt}");
            return Annotation.Of(options.Value?.DeepClone() ?? new JsonObject { ["from"] = name });
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
            throw;
        }
        finally
        {
            Calls.Enqueue(new ProbeCall(documentId, name, attempt, start, DateTime.UtcNow.Ticks, cancelled, input.Dependencies.Keys.Order().ToList()));
        }
    }

    private async Task RendezvousAsync(string key)
    {
        var gate = Barriers.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Arrivals.AddOrUpdate(key, 1, (_, n) => n + 1) >= options.Parties) gate.TrySetResult();
        // Completes only if the other parties run at the same time; run one after another, this throws.
        await gate.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
