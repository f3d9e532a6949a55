using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;

namespace Herald.Bench;

/// <summary>
/// End to end on the embedded broker: input topic -> 5-node no-op DAG -> central topic, in every emission mode,
/// next to the same Kafka traffic without Herald (<see cref="KafkaFloor"/>) and the choreography Herald replaces
/// (<see cref="Choreography"/>), in one run, rounds interleaved. Each emission mode has one silo for the whole run
/// (<see cref="BenchSilo"/>), as a running cluster does.
/// </summary>
public static class KafkaBenchmark
{
    public static async Task RunAsync(int documents, int rounds, int warmUpDocuments)
    {
        Console.WriteLine($"End to end on the embedded broker, {documents:N0} documents per round, {rounds} rounds, {Environment.ProcessorCount} cores");
        await using var all = await BenchSilo.StartAsync(EmissionMode.All);
        await using var complete = await BenchSilo.StartAsync(EmissionMode.Complete);
        await using var deltas = await BenchSilo.StartAsync(EmissionMode.Deltas);
        BenchSilo[] silos = [all, complete, deltas];
        // Warm-up, not reported. Tiered compilation keeps recompiling the hot path with what it profiled for the first
        // couple of hundred thousand documents through a process, and each round runs faster than the one before
        // until then (docs/BENCHMARKS.md has the curve). A long-running silo is long past it: measure that.
        Console.WriteLine($"warming up: {warmUpDocuments:N0} documents through Herald, then a round of Kafka traffic alone and one of the choreography");
        for (var warmed = 0; warmed < warmUpDocuments; warmed += silos.Length * documents)
            foreach (var silo in silos) await silo.RunAsync(documents);
        await KafkaFloorAsync(documents);
        await ChoreographyAsync(documents);
        // The silos stay up for the whole run, each waiting on its broker while the others are measured: what that costs.
        var idle = ProcessUsage.Now();
        await Task.Delay(TimeSpan.FromSeconds(5));
        idle = ProcessUsage.Now() - idle;
        Console.WriteLine($"idle between rounds (the silos and their brokers): {100 * idle.Cpu / idle.Wall:0.0}% of one core");
        // One list per system, in the order each round runs them.
        var results = new List<EndToEndResult>[7];
        for (var round = 1; round <= rounds; round++)
        {
            EndToEndResult[] systems = [await all.RunAsync(documents), await complete.RunAsync(documents), await deltas.RunAsync(documents),
                .. await KafkaFloorAsync(documents), await ChoreographyAsync(documents)];
            for (var i = 0; i < systems.Length; i++)
            {
                Console.WriteLine($"  round {round}: {Format(systems[i])}");
                (results[i] ??= []).Add(systems[i]);
            }
        }
        Console.WriteLine("median of rounds:");
        var medians = results.Select(EndToEndResult.Median).ToList();
        foreach (var median in medians) Console.WriteLine($"  {Format(median)}");
        var (heralds, floors, choreography) = (medians[..3], medians[3..6], medians[6]);
        foreach (var herald in heralds)
            Console.WriteLine($"  {herald.Name} vs choreography: {herald.DocumentsPerSecond / choreography.DocumentsPerSecond:0.0}x the throughput, {(double)choreography.BytesRead / herald.BytesRead:0.0}x fewer bytes read");
        foreach (var (herald, kafkaOnly) in heralds.Zip(floors))
            Console.WriteLine($"  {herald.Name} over its Kafka traffic alone: +{herald.CpuUsPerDocument - kafkaOnly.CpuUsPerDocument:N0} µs CPU per document, {herald.DocumentsPerSecond / kafkaOnly.DocumentsPerSecond:0.00}x the throughput");
    }

    private static string Format(EndToEndResult r) =>
        $"{r.Name,-40} {r.DocumentsPerSecond,7:N0} documents/s   p50 {r.P50Ms,7:N1} ms   p99 {r.P99Ms,7:N1} ms   read {r.BytesRead / 1e6,5:N1} MB   " +
        $"per document: cpu {r.CpuUsPerDocument,3:N0} µs, allocated {r.AllocatedKbPerDocument,3:N0} KB   gc pauses {r.GcPausePercent,2:N0}%";

    // The floor is up only for its own rounds (both record sets), after a moment to connect.
    private static async Task<EndToEndResult[]> KafkaFloorAsync(int documents)
    {
        await using var floor = KafkaFloor.Start();
        await Task.Delay(TimeSpan.FromSeconds(1));
        return [await floor.RunAsync(documents, EmissionMode.All), await floor.RunAsync(documents, EmissionMode.Complete), await floor.RunAsync(documents, EmissionMode.Deltas)];
    }

    // The choreography keeps no state between rounds: a fresh broker each time.
    private static async Task<EndToEndResult> ChoreographyAsync(int documents)
    {
        await using var broker = new EmbeddedKafkaBroker();
        broker.CreateTopic("central", RoundTraffic.CentralPartitions);
        return await OnOwnThread(() => Choreography.Run(broker.BootstrapServers, "central", documents));
    }

    internal static Task<T> OnOwnThread<T>(Func<T> blocking) =>
        Task.Factory.StartNew(blocking, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
