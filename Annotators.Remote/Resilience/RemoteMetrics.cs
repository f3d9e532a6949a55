using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Herald.Annotators.Remote.Resilience;

/// <summary>Remote calls' instruments in the <c>Herald</c> meter: calls by outcome, their latency, and which circuits are open.</summary>
internal static class RemoteMetrics
{
    private static readonly Meter Meter = new("Herald");
    // Weak: an annotator instance that is gone stops being reported.
    private static readonly ConditionalWeakTable<RemoteCalls, object?> Live = [];

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("herald.remote.calls", "{call}", "remote annotator calls by outcome: ok, error, circuit_open");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("herald.remote.duration", "ms", "remote annotator call latency");

    static RemoteMetrics() => Meter.CreateObservableGauge("herald.remote.circuit_open", Observe, "{circuit}", "1 while a remote annotator's circuit is open or half-open");

    public static void Track(RemoteCalls calls) => Live.AddOrUpdate(calls, null);

    public static void Record(RemoteCalls calls, string outcome, double milliseconds)
    {
        var tags = new TagList { { "annotator", calls.Annotator }, { "endpoint", calls.Endpoint }, { "outcome", outcome } };
        Calls.Add(1, tags);
        Duration.Record(milliseconds, tags);
    }

    private static IEnumerable<Measurement<int>> Observe() =>
        Live.Select(entry => new Measurement<int>(entry.Key.Circuit == CircuitState.Closed ? 0 : 1,
            new KeyValuePair<string, object?>("annotator", entry.Key.Annotator), new KeyValuePair<string, object?>("endpoint", entry.Key.Endpoint)));
}
