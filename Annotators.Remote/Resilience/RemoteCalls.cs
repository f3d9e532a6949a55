using System.Diagnostics;
using System.Diagnostics.Metrics;
using Polly;
using Polly.CircuitBreaker;

namespace Herald.Annotators.Remote.Resilience;

/// <summary>
/// Every call one remote annotator makes goes through here: a concurrency limit, a circuit breaker (Polly) so a dead
/// service fails fast and is probed again later, and the metrics of <see cref="RemoteMetrics"/>.
/// </summary>
internal sealed class RemoteCalls
{
    private readonly string _annotator;
    private readonly SemaphoreSlim _slots;
    private readonly ResiliencePipeline _breaker;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly TimeSpan _breakFor;
    private RemoteMetrics? _metrics;

    public RemoteCalls(string annotator, string endpoint, RemoteOptions options)
    {
        _annotator = annotator;
        Endpoint = endpoint;
        _slots = new SemaphoreSlim(options.MaxConcurrency);
        _breakFor = TimeSpan.FromMilliseconds(options.BreakForMs);
        _breaker = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = options.BreakAfter,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = _breakFor,
                // A call cut off by its deadline counts too: a service that hangs is as dead as one that refuses.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(),
                StateProvider = _state,
            })
            .Build();
    }

    /// <summary>Records this annotator's calls and circuit on the host's meter from now on.</summary>
    public void MeasureWith(Meter meter)
    {
        _metrics = RemoteMetrics.For(meter);
        _metrics.Track(this);
    }

    public string Annotator => _annotator;
    public string Endpoint { get; }

    public CircuitState Circuit => _state.CircuitState switch
    {
        Polly.CircuitBreaker.CircuitState.Closed => CircuitState.Closed,
        Polly.CircuitBreaker.CircuitState.HalfOpen => CircuitState.HalfOpen,
        _ => CircuitState.Open,
    };

    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await _breaker.ExecuteAsync(static async (call, token) => await call(token), call, cancellationToken);
            outcome = "ok";
            return result;
        }
        catch (BrokenCircuitException e)
        {
            outcome = "circuit_open";
            throw new RemoteCallException(
                $"{Endpoint}: circuit open after repeated failures, failing fast; the service is tried again {_breakFor.TotalSeconds:0.#}s after it opened", e);
        }
        finally
        {
            _slots.Release();
            _metrics?.Record(this, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
