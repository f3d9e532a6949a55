using System.Diagnostics;
using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>One round's throughput and per-document latency percentiles.</summary>
internal sealed record RoundResult(double Rate, double P50, double P99)
{
    public static RoundResult Of(double rate, IEnumerable<double> latencies)
    {
        var sorted = latencies.Order().ToList();
        return new RoundResult(rate, sorted[sorted.Count / 2], sorted[(int)(sorted.Count * 0.99)]);
    }

    public static RoundResult Median(IReadOnlyList<RoundResult> rounds) => rounds.OrderBy(r => r.Rate).ElementAt(rounds.Count / 2);

    public static async Task<List<RoundResult>> RepeatAsync(int rounds, Func<Task<RoundResult>> round)
    {
        var results = new List<RoundResult>();
        for (var i = 0; i < rounds; i++) results.Add(await round());
        return results;
    }
}

/// <summary>The Herald side of the remote benchmarks: one silo running one pipeline of remote annotators, fed through its document grains.</summary>
internal static class RemoteRig
{
    public static async Task<List<RoundResult>> HeraldRoundsAsync(string tag, string yaml, IEnumerable<AnnotatorKind> kinds, List<string> corpus, int rounds, int inFlight)
    {
        var folder = Directory.CreateTempSubdirectory("herald-bench-remote-").FullName;
        File.WriteAllText(Path.Combine(folder, $"{tag}.yaml"), yaml);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddHerald(o => o.PipelinesPath = folder).AddHeraldKinds(Herald.Annotators.Onnx.ModelKinds.All).AddHeraldKinds(kinds));
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        try
        {
            await PumpAsync(grains, tag, "warm", corpus.Take(inFlight * 4).ToList(), inFlight);
            return await RoundResult.RepeatAsync(rounds, async () =>
            {
                var clock = Stopwatch.StartNew();
                var latencies = await PumpAsync(grains, tag, Guid.NewGuid().ToString("n")[..8], corpus, inFlight);
                return RoundResult.Of(corpus.Count / clock.Elapsed.TotalSeconds, latencies);
            });
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs every document through the pipeline, <paramref name="inFlight"/> at a time; each one's latency in ms.</summary>
    private static async Task<double[]> PumpAsync(IGrainFactory grains, string tag, string prefix, List<string> corpus, int inFlight)
    {
        var latencies = new double[corpus.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < corpus.Count; i = Interlocked.Increment(ref next))
            {
                var id = $"{prefix}-{i}";
                var started = Stopwatch.GetTimestamp();
                var snapshot = await grains.GetGrain<IDocumentGrain>(DocumentKey.Format(tag, id))
                    .ProcessAsync(DocumentParser.Parse(new JsonObject { ["id"] = id, ["text"] = corpus[i] }.ToJsonString()));
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (snapshot.Annotations.Any(a => a.Status != AnnotationStatus.Done))
                    throw new InvalidOperationException($"document {id}: {snapshot.Annotations[0].Detail}");
            }
        }));
        return latencies;
    }
}
