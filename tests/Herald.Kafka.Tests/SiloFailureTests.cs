using Herald.Kafka.Embedded;
using Xunit.Abstractions;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>
/// At-least-once across real process deaths: silos are separate processes killed with SIGKILL; the broker
/// lives in this test process and outlives them.
/// </summary>
[Trait("Category", "process")]
public sealed class SiloFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Partitions = 8;
    private const string Input = HeraldTopics.Input;
    private const string Annotations = HeraldTopics.Annotations;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly EmbeddedKafkaBroker _broker = new();
    private KafkaTestClient Kafka => new(_broker.BootstrapServers);

    public Task InitializeAsync()
    {
        _broker.WithHeraldTopics(Partitions);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private async Task<SiloProcess> StartPrimaryAsync()
    {
        var silo = SiloProcess.Start("A", _broker.BootstrapServers, primary: null);
        // Alone, the primary takes every partition and pins each start offset.
        await silo.WaitForAsync(() => Kafka.Committed("herald-news", Input, Partitions).All(o => o >= 0), Patience, "taking all partitions");
        return silo;
    }

    /// <summary>Produces documents at a steady pace, so some are always in flight.</summary>
    private async Task ProduceSteadilyAsync(IReadOnlyList<string> ids, int perSecond)
    {
        for (var i = 0; i < ids.Count; i += perSecond / 10)
        {
            await Kafka.ProduceDocumentsAsync(Input, ids.Skip(i).Take(perSecond / 10).Select(id => KafkaPipelineCluster.Document(id)));
            await Task.Delay(100);
        }
    }

    /// <summary>Documents produced but not yet committed by the live pipeline: the most a failure can make it redo.</summary>
    private long InFlight() =>
        Kafka.EndOffsets(Input, Partitions).Zip(Kafka.Committed("herald-news", Input, Partitions), (end, committed) => end - Math.Max(committed, 0)).Sum();

    private (int Missing, int Duplicates) Outcome(IReadOnlyList<string> ids)
    {
        var wanted = ids.ToHashSet();
        var completes = Kafka.ReadUntil(Annotations, records =>
                wanted.All(new HashSet<string?>(records.Where(r => Header(r, "herald-event") == "complete").Select(r => r.Message.Key)).Contains), Patience)
            .Where(r => Header(r, "herald-event") == "complete" && wanted.Contains(r.Message.Key!))
            .GroupBy(r => r.Message.Key!)
            .ToDictionary(g => g.Key, g => g.Count());
        return (ids.Count(id => !completes.ContainsKey(id)), completes.Values.Sum(n => n - 1));
    }

    [Fact]
    public async Task Killing_one_of_two_silos_mid_run_loses_no_document()
    {
        using var a = await StartPrimaryAsync();
        using var b = SiloProcess.Start("B", _broker.BootstrapServers, a);
        await b.WaitForAsync(() => b.CountLines("reads herald.documents") > 0, Patience, "taking a share of the partitions");

        var ids = Enumerable.Range(0, 3000).Select(i => $"kill-{i}").ToList();
        var producing = ProduceSteadilyAsync(ids, perSecond: 1000);
        await Task.Delay(1500);
        b.Kill();
        var killedAt = DateTime.UtcNow;
        // The dead silo's committed offsets are frozen now: what it may have to redo is what lies beyond them.
        var inFlight = InFlight();
        await producing;

        var (missing, duplicates) = Outcome(ids);
        output.WriteLine($"killed B with {inFlight} documents produced but not yet committed; every document completed {DateTime.UtcNow - killedAt:g} after the kill; {duplicates} duplicate complete records");
        Assert.Equal(0, missing);
        Assert.InRange(duplicates, 0, inFlight);
        Assert.False(a.HasExited, a.Output);
    }

    [Fact]
    public async Task Stopping_a_silo_gracefully_hands_its_partitions_over_and_loses_nothing()
    {
        using var a = await StartPrimaryAsync();
        using var b = SiloProcess.Start("B", _broker.BootstrapServers, a);
        await b.WaitForAsync(() => b.CountLines("reads herald.documents") > 0, Patience, "taking a share of the partitions");
        // HTTP starts after the silo: wait for it, then both probes must pass.
        using var http = new HttpClient();
        await b.WaitUntilReadyAsync(Patience);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{b.HttpPort}/health/live")).StatusCode);

        var ids = Enumerable.Range(0, 3000).Select(i => $"stop-{i}").ToList();
        var producing = ProduceSteadilyAsync(ids, perSecond: 1000);
        await Task.Delay(1500);
        var inFlight = InFlight();
        var stopping = await b.StopAsync(TimeSpan.FromSeconds(60));
        await producing;

        var (missing, duplicates) = Outcome(ids);
        output.WriteLine($"SIGTERM to B with {inFlight} documents produced but not yet committed: it exited after {stopping.TotalSeconds:0.0} s; {duplicates} duplicate complete records");
        foreach (var line in b.Output.Split(Environment.NewLine).Where(l => l.Contains("handed over") || l.Contains("commit") || l.Contains("lost"))) output.WriteLine($"  B: {line.Trim()}");
        Assert.Equal(0, missing);
        Assert.InRange(duplicates, 0, inFlight);
        Assert.Equal(0, b.ExitCode);
        Assert.False(a.HasExited, a.Output);
    }

    [Fact]
    public async Task Restarting_the_whole_cluster_mid_run_resumes_from_the_committed_offsets()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"restart-{i}").ToList();
        long inFlight;
        using (var a = await StartPrimaryAsync())
        using (var b = SiloProcess.Start("B", _broker.BootstrapServers, a))
        {
            await b.WaitForAsync(() => b.CountLines("reads herald.documents") > 0, Patience, "taking a share of the partitions");
            var producing = ProduceSteadilyAsync(ids.Take(1000).ToList(), perSecond: 1000);
            await Task.Delay(700);
            b.Kill();
            a.Kill();
            inFlight = InFlight();
            await producing;
        }

        // While the cluster is down, more documents arrive; then it comes back.
        await Kafka.ProduceDocumentsAsync(Input, ids.Skip(1000).Select(id => KafkaPipelineCluster.Document(id)));
        using var restarted = await StartPrimaryAsync();

        var (missing, duplicates) = Outcome(ids);
        output.WriteLine($"killed the whole cluster with {inFlight} documents produced but not yet committed; {duplicates} duplicate complete records after the restart");
        Assert.Equal(0, missing);
        Assert.InRange(duplicates, 0, inFlight);
    }
}
