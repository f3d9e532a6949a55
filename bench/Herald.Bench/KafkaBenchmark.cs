using System.Globalization;
using Herald.Contracts;
using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;

namespace Herald.Bench;

/// <summary>
/// End to end on the embedded broker: input topic -> a layered no-op DAG -> central topic, in every emission mode,
/// next to the same Kafka traffic without Herald (<see cref="KafkaFloor"/>) and the choreography Herald replaces
/// (<see cref="Choreography"/>), in one run, rounds interleaved. Each emission mode has one silo for all rounds of a
/// DAG size (<see cref="BenchSilo"/>), as a running cluster does. With several sizes (<c>--nodes 5,10,20</c>) the
/// comparison runs once per size and ends with how each system's cost grows with the DAG.
/// </summary>
public static class KafkaBenchmark
{
    public static readonly EmissionMode[] AllModes = [EmissionMode.All, EmissionMode.Complete, EmissionMode.Deltas];

    /// <param name="modes">The emission modes to measure (<c>--modes complete</c> narrows a run to profile one).</param>
    public static async Task RunAsync(int documents, int rounds, int warmUpDocuments, int[] sizes, string? csv, EmissionMode[] modes)
    {
        Console.WriteLine($"End to end on the embedded broker, {documents:N0} documents per round, {rounds} rounds, {Environment.ProcessorCount} cores");
        var curve = new List<(int Nodes, EndToEndResult[] Medians)>();
        foreach (var size in sizes)
        {
            var dag = NoopDag.Layered(size);
            if (sizes.Length > 1) Console.WriteLine($"{size}-node no-op DAG");
            curve.Add((size, await CompareAsync(dag, modes, documents, rounds, warmUpDocuments)));
            warmUpDocuments = Math.Min(warmUpDocuments, 3 * documents); // the process is warm after the first size
        }
        if (sizes.Length > 1) PrintCurve(curve, modes.Length, csv);
    }

    /// <returns>The medians: Herald in each mode, the Kafka-only floors, the choreography.</returns>
    private static async Task<EndToEndResult[]> CompareAsync(NoopDag dag, EmissionMode[] modes, int documents, int rounds, int warmUpDocuments)
    {
        var silos = new List<BenchSilo>();
        try
        {
            foreach (var mode in modes) silos.Add(await BenchSilo.StartAsync(mode, dag));
            // Warm-up, not reported. Tiered compilation keeps recompiling the hot path with what it profiled for the first
            // couple of hundred thousand documents through a process, and each round runs faster than the one before
            // until then (docs/BENCHMARKS.md has the curve). A long-running silo is long past it: measure that.
            Console.WriteLine($"warming up: {warmUpDocuments:N0} documents through Herald, then a round of Kafka traffic alone and one of the choreography");
            for (var warmed = 0; warmed < warmUpDocuments; warmed += silos.Count * documents)
                foreach (var silo in silos) await silo.RunAsync(documents);
            await KafkaFloorAsync(documents, modes, dag);
            await ChoreographyAsync(documents, dag);
            // The silos stay up for the whole run, each waiting on its broker while the others are measured: what that costs.
            var idle = ProcessUsage.Now();
            await Task.Delay(TimeSpan.FromSeconds(5));
            idle = ProcessUsage.Now() - idle;
            Console.WriteLine($"idle between rounds (the silos and their brokers): {100 * idle.Cpu / idle.Wall:0.0}% of one core");
            // One list per system, in the order each round runs them.
            var results = new List<EndToEndResult>[2 * modes.Length + 1];
            for (var round = 1; round <= rounds; round++)
            {
                var heralds = new List<EndToEndResult>();
                foreach (var silo in silos) heralds.Add(await silo.RunAsync(documents));
                EndToEndResult[] systems = [.. heralds, .. await KafkaFloorAsync(documents, modes, dag), await ChoreographyAsync(documents, dag)];
                for (var i = 0; i < systems.Length; i++)
                {
                    Console.WriteLine($"  round {round}: {Format(systems[i])}");
                    (results[i] ??= []).Add(systems[i]);
                }
            }
            Console.WriteLine("median of rounds:");
            var medians = results.Select(EndToEndResult.Median).ToArray();
            foreach (var median in medians) Console.WriteLine($"  {Format(median)}");
            var (heraldMedians, floors, choreography) = (medians[..modes.Length], medians[modes.Length..^1], medians[^1]);
            foreach (var herald in heraldMedians)
                Console.WriteLine($"  {herald.Name} vs choreography: {herald.DocumentsPerSecond / choreography.DocumentsPerSecond:0.0}x the throughput, {(double)choreography.BytesRead / herald.BytesRead:0.0}x fewer bytes read");
            foreach (var (herald, kafkaOnly) in heraldMedians.Zip(floors))
                Console.WriteLine($"  {herald.Name} over its Kafka traffic alone: +{herald.CpuUsPerDocument - kafkaOnly.CpuUsPerDocument:N0} µs CPU per document, {herald.DocumentsPerSecond / kafkaOnly.DocumentsPerSecond:0.00}x the throughput");
            return medians;
        }
        finally
        {
            foreach (var silo in silos) await silo.DisposeAsync();
        }
    }

    /// <summary>How each system's cost grows with the DAG: CPU per document, and bytes read per document.</summary>
    private static void PrintCurve(List<(int Nodes, EndToEndResult[] Medians)> curve, int heralds, string? csv)
    {
        var names = curve[0].Medians.Select(m => m.Name).ToArray();
        Console.WriteLine("cost as the DAG grows (medians):");
        Console.WriteLine($"  {"system",-40} {string.Join(" ", curve.Select(c => $"{c.Nodes,3} nodes: cpu µs, bytes read/doc, docs/s".PadLeft(44)))}");
        for (var i = 0; i < names.Length; i++)
        {
            var system = names[i].Replace($"({curve[0].Nodes} independent consumers)", "(one consumer per node)");
            Console.WriteLine($"  {system,-40} {string.Join(" ", curve.Select(c => $"{c.Medians[i].CpuUsPerDocument,14:N0} {(double)c.Medians[i].BytesRead / c.Medians[i].Documents,14:N0} {c.Medians[i].DocumentsPerSecond,13:N0}"))}");
        }
        for (var m = 0; m < heralds; m++)
            Console.WriteLine($"  {names[m]} vs choreography by size: {string.Join(", ", curve.Select(c => $"{c.Nodes} nodes {c.Medians[m].DocumentsPerSecond / c.Medians[^1].DocumentsPerSecond:0.0}x"))}");
        if (csv is null) return;
        using var file = new StreamWriter(csv);
        file.WriteLine("nodes,system,documents_per_second,cpu_us_per_document,bytes_read_per_document,allocated_kb_per_document");
        foreach (var (nodes, medians) in curve)
            foreach (var r in medians)
                file.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{nodes},\"{r.Name.Replace($"({nodes} independent consumers)", "(one consumer per node)")}\",{r.DocumentsPerSecond:0},{r.CpuUsPerDocument:0.0},{(double)r.BytesRead / r.Documents:0},{r.AllocatedKbPerDocument:0.0}"));
        Console.WriteLine($"  written to {csv}");
    }

    private static string Format(EndToEndResult r) =>
        $"{r.Name,-40} {r.DocumentsPerSecond,7:N0} documents/s   p50 {r.P50Ms,7:N1} ms   p99 {r.P99Ms,7:N1} ms   read {r.BytesRead / 1e6,5:N1} MB   " +
        $"per document: cpu {r.CpuUsPerDocument,3:N0} µs, allocated {r.AllocatedKbPerDocument,3:N0} KB   gc pauses {r.GcPausePercent,2:N0}%";

    // The floor is up only for its own rounds (one record set per mode), after a moment to connect.
    private static async Task<EndToEndResult[]> KafkaFloorAsync(int documents, EmissionMode[] modes, NoopDag dag)
    {
        await using var floor = KafkaFloor.Start();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var results = new List<EndToEndResult>();
        foreach (var mode in modes) results.Add(await floor.RunAsync(documents, mode, dag));
        return [.. results];
    }

    // The choreography keeps no state between rounds: a fresh broker each time.
    private static async Task<EndToEndResult> ChoreographyAsync(int documents, NoopDag dag)
    {
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic("central", RoundTraffic.CentralPartitions);
        return await OnOwnThread(() => Choreography.Run(broker.BootstrapServers, "central", documents, dag));
    }

    internal static Task<T> OnOwnThread<T>(Func<T> blocking) =>
        Task.Factory.StartNew(blocking, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
