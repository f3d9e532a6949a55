using System.Diagnostics;
using Confluent.Kafka;

namespace Herald.Bench;

/// <summary>
/// One end-to-end round: documents/s from the first produce to the last completion, latency percentiles, bytes the
/// system read from the broker, and what the process used per document (broker, clients and observer included):
/// CPU time, which other load on a shared machine disturbs far less than throughput, managed allocations, and
/// the share of the round the runtime spent paused for garbage collection.
/// </summary>
public sealed record EndToEndResult(string Name, int Documents, double DocumentsPerSecond, double P50Ms, double P99Ms, long BytesRead,
    double CpuUsPerDocument, double AllocatedKbPerDocument, double GcPausePercent)
{
    public static EndToEndResult From(string name, int documents, TimeSpan elapsed, List<double> latenciesMs, long bytesRead, ProcessUsage used)
    {
        latenciesMs.Sort();
        double Percentile(double p) => latenciesMs[Math.Min(latenciesMs.Count - 1, (int)(p * latenciesMs.Count))];
        return new(name, documents, documents / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), bytesRead,
            used.Cpu.TotalMicroseconds / documents, used.AllocatedBytes / 1024.0 / documents, 100 * used.GcPause / used.Wall);
    }

    /// <summary>
    /// Reads until every sent document's completion arrives: the time from the first produce to the last
    /// completion, and each document's latency from its produce call to the receipt of its first completion.
    /// Empties <paramref name="sent"/>.
    /// </summary>
    public static (TimeSpan Elapsed, List<double> LatenciesMs) AwaitCompletions<TValue>(
        IConsumer<string, TValue> consumer, Dictionary<string, long> sent, Func<ConsumeResult<string, TValue>, bool> isCompletion)
    {
        var first = sent.Values.Min();
        var expected = sent.Count;
        var latencies = new List<double>(expected);
        var last = first;
        while (latencies.Count < expected)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(30)) is not { } record) throw new TimeoutException($"stalled at {latencies.Count}/{expected} completions");
            // Removed as it arrives: a redelivered document's second completion does not count twice.
            if (!isCompletion(record) || !sent.Remove(record.Message.Key, out var produced)) continue;
            last = Stopwatch.GetTimestamp();
            latencies.Add(Stopwatch.GetElapsedTime(produced, last).TotalMilliseconds);
        }
        return (Stopwatch.GetElapsedTime(first, last), latencies);
    }

    public static EndToEndResult Median(IReadOnlyList<EndToEndResult> rounds)
    {
        double Mid(Func<EndToEndResult, double> f) => rounds.Select(f).Order().ElementAt(rounds.Count / 2);
        return new(rounds[0].Name, rounds[0].Documents, Mid(r => r.DocumentsPerSecond), Mid(r => r.P50Ms), Mid(r => r.P99Ms), (long)Mid(r => r.BytesRead),
            Mid(r => r.CpuUsPerDocument), Mid(r => r.AllocatedKbPerDocument), Mid(r => r.GcPausePercent));
    }
}

/// <summary>What the process has used so far: take it before producing, subtract it after the last completion.</summary>
public readonly record struct ProcessUsage(TimeSpan Wall, TimeSpan Cpu, TimeSpan GcPause, long AllocatedBytes)
{
    public static ProcessUsage Now() =>
        new(Stopwatch.GetElapsedTime(0), Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    public static ProcessUsage operator -(ProcessUsage end, ProcessUsage start) =>
        new(end.Wall - start.Wall, end.Cpu - start.Cpu, end.GcPause - start.GcPause, end.AllocatedBytes - start.AllocatedBytes);
}
