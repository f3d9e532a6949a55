using System.Diagnostics;
using Herald.Annotators;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Hosting;
using Herald.Grains.Storage;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>
/// Documents per second through the 5-node no-op DAG (A; B and C after A; D after B and C; E after D) inside
/// one silo with a fixed number of documents in flight, and the memory retained per document. <c>--pipeline FILE</c>
/// measures another shape (tag <c>bench</c>, kind <c>noop</c>).
/// </summary>
public static class DagBenchmark
{
    public sealed record Settings(int Documents, int Rounds, int InFlight, int MemoryDocuments, string? PipelineFile)
    {
        public static Settings FromArgs(string[] args)
        {
            int Get(string name, int fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
            var pipeline = Array.IndexOf(args, "--pipeline") is var p and >= 0 && p + 1 < args.Length ? args[p + 1] : null;
            return new(Get("--documents", 50_000), Get("--rounds", 5), Get("--in-flight", 256), Get("--memory-documents", 100_000), pipeline);
        }
    }

    public static async Task RunAsync(Settings settings)
    {
        var folder = Directory.CreateTempSubdirectory("herald-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "bench.yaml"), settings.PipelineFile is { } file ? File.ReadAllText(file) : NoopDag.Layered(5).Yaml());
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<AnnotatorKind>(NoopAnnotator.Kind);
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddHerald(o => o.PipelinesPath = folder).AddHeraldKinds(Herald.Annotators.Onnx.ModelKinds.All));
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        Console.WriteLine($"{(settings.PipelineFile is null ? "5-node no-op DAG" : settings.PipelineFile)}, one silo, {settings.InFlight} documents in flight, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");

        // Memory first, on a fresh silo: what stays once documents are done. Their activations have deactivated;
        // what remains is the completed-document window of the in-memory store (each silo keeps the newest ones).
        var before = Settle();
        await PumpAsync(grains, "mem", settings.MemoryDocuments, settings.InFlight);
        await Task.Delay(TimeSpan.FromSeconds(2)); // let the last activations finish deactivating
        var after = Settle();
        var store = (BoundedMemoryGrainStorage)host.Services.GetRequiredKeyedService<IGrainStorage>(HeraldStorage.Documents);
        Console.WriteLine($"retained after {settings.MemoryDocuments:N0} documents: {(after - before) / settings.MemoryDocuments:N0} bytes/document "
            + $"(managed heap {before / 1e6:N0} MB -> {after / 1e6:N0} MB; completed-document store holds {store.Count:N0})");

        // Throughput: the memory run doubled as JIT warm-up; one more short round lets tiered compilation settle.
        await PumpAsync(grains, "warmup", Math.Min(20_000, settings.Documents), settings.InFlight);
        var rates = new List<double>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var elapsed = await PumpAsync(grains, $"r{round}", settings.Documents, settings.InFlight);
            rates.Add(settings.Documents / elapsed.TotalSeconds);
            Console.WriteLine($"  round {round}: {rates[^1]:N0} documents/s");
        }
        rates.Sort();
        Console.WriteLine($"median: {rates[rates.Count / 2]:N0} documents/s (min {rates[0]:N0}, max {rates[^1]:N0})");

        await host.StopAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<TimeSpan> PumpAsync(IGrainFactory grains, string prefix, int documents, int inFlight)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < documents; i = Interlocked.Increment(ref next))
            {
                var id = $"{prefix}-{i}";
                var snapshot = await grains.GetGrain<IDocumentGrain>(DocumentKey.Format("bench", id))
                    .ProcessAsync(new DocumentInput(id, "text", null, $$"""{"id":"{{id}}","text":"text"}"""));
                if (snapshot.Status != DocumentStatus.Complete || snapshot.Annotations.Any(a => a.Status != AnnotationStatus.Done))
                    throw new InvalidOperationException($"document {id} did not complete cleanly");
            }
        }));
        return clock.Elapsed;
    }

    private static long Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
