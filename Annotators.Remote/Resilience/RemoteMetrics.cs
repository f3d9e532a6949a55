using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Herald.Annotators.Remote.Resilience;

/// <summary>
/// Remote calls' instruments, created once on each host's <c>Herald</c> meter: calls by outcome, their latency, and which
/// circuits are open.
/// </summary>
internal sealed class RemoteMetrics
{
    private static readonly ConditionalWeakTable<Meter, RemoteMetrics> ByMeter = [];

    // Weak: an annotator instance that is gone stops being reported.
    private readonly ConditionalWeakTable<RemoteCalls, object?> _live = [];
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    private RemoteMetrics(Meter meter)
    {
        _calls = meter.CreateCounter<long>("herald.remote.calls", "{call}", "remote annotator calls by outcome: ok, error, circuit_open");
        _duration = meter.CreateHistogram<double>("herald.remote.duration", "ms", "remote annotator call latency");
        meter.CreateObservableGauge("herald.remote.circuit_open", Observe, "{circuit}", "1 while a remote annotator's circuit is open or half-open");
    }

    public static RemoteMetrics For(Meter meter) => ByMeter.GetValue(meter, static m => new RemoteMetrics(m));

    public void Track(RemoteCalls calls) => _live.AddOrUpdate(calls, null);

    public void Record(RemoteCalls calls, string outcome, double milliseconds)
    {
        var tags = new TagList { { "annotator", calls.Annotator }, { "endpoint", calls.Endpoint }, { "outcome", outcome } };
        _calls.Add(1, tags);
        _duration.Record(milliseconds, tags);
    }

    private IEnumerable<Measurement<int>> Observe() =>
        _live.Select(entry => new Measurement<int>(entry.Key.Circuit == CircuitState.Closed ? 0 : 1,
            new KeyValuePair<string, object?>("annotator", entry.Key.Annotator), new KeyValuePair<string, object?>("endpoint", entry.Key.Endpoint)));
}
