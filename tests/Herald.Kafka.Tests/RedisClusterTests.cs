using System.Diagnostics;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using Xunit.Abstractions;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>
/// Production's shape on one machine: three silo processes with Redis membership and Redis document storage, Debian's
/// redis-server, and the Kafka-protocol broker in a process of its own (<c>herald dev broker</c>) that all share.
/// </summary>
[Trait("Category", "process")]
public sealed class RedisClusterTests(ITestOutputHelper output)
{
    // Queues are spread by consistent hashing: with many partitions, every silo (the newcomer too) is sure to own some.
    private const int Partitions = 24;
    private const string Input = HeraldTopics.Input;
    private const string Annotations = HeraldTopics.Annotations;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Three_silos_on_redis_survive_a_sigkill_and_share_partitions_with_a_newcomer()
    {
        if (await LocalServers.RedisAsync() is not { } redis) return; // a laptop without redis-server: this runs in CI
        using var redisProcess = redis.Process;
        var redisPort = redis.Port;
        var (broker, bootstrap) = await LocalServers.DevBrokerAsync("--partitions", Partitions.ToString());
        using var brokerProcess = broker;
        var kafka = new KafkaTestClient(bootstrap);

        var clusterId = $"test-{Guid.NewGuid():n}"[..13];
        var settings = new Dictionary<string, string>
        {
            ["Herald__Clustering__Provider"] = "Redis",
            ["Herald__Clustering__Redis"] = $"127.0.0.1:{redisPort}",
            ["Herald__Clustering__ClusterId"] = clusterId,
            ["Herald__Storage__Provider"] = "Redis",
            ["Herald__Storage__Redis"] = $"127.0.0.1:{redisPort}",
        };
        SiloProcess Start(string name) => SiloProcess.Start(name, bootstrap, primary: null, settings);
        using var a = Start("A");
        using var b = Start("B");
        using var c = Start("C");
        foreach (var silo in new[] { a, b, c })
            await silo.WaitForAsync(() => silo.CountLines("reads herald.documents") > 0, Patience, "taking a share of the partitions");

        var ids = Enumerable.Range(0, 4000).Select(i => $"redis-{i}").ToList();
        var producing = ProduceSteadilyAsync(kafka, ids, perSecond: 500);
        await Task.Delay(2000);
        var committedAtKill = kafka.Committed("herald-news", Input, Partitions);
        var inFlight = kafka.EndOffsets(Input, Partitions).Zip(committedAtKill, (end, committed) => end - Math.Max(committed, 0)).Sum();
        var clock = Stopwatch.StartNew();
        c.Kill();

        using var membership = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redisPort}");
        var detected = await TimeUntilAsync(() => IsDeclaredDead(membership, clusterId, c.SiloPort), clock);
        var resumed = await TimeUntilAsync(() => kafka.Committed("herald-news", Input, Partitions).Zip(committedAtKill, (now, then) => now > then).All(moved => moved), clock);

        // A newcomer joins and is given a share of the partitions.
        using var d = Start("D");
        await d.WaitForAsync(() => d.CountLines("reads herald.documents") > 0, Patience, "taking a share of the partitions after joining");
        var joined = clock.Elapsed;
        await producing;

        var (missing, duplicates) = Outcome(kafka, ids);
        if (missing > 0) output.WriteLine(Diagnose(kafka, ids));
        output.WriteLine($"SIGKILL to C with {inFlight} documents produced but not yet committed: declared dead after {detected.TotalSeconds:0.0} s, " +
                         $"every partition committing again after {resumed.TotalSeconds:0.0} s; D joined and took partitions at {joined.TotalSeconds:0.0} s; " +
                         $"{missing} missing, {duplicates} duplicate complete records");
        Assert.Equal(0, missing);
        Assert.InRange(duplicates, 0, inFlight);
        Assert.False(a.HasExited || b.HasExited, a.Output + b.Output);
    }

    private static async Task ProduceSteadilyAsync(KafkaTestClient kafka, IReadOnlyList<string> ids, int perSecond)
    {
        for (var i = 0; i < ids.Count; i += perSecond / 10)
        {
            await kafka.ProduceDocumentsAsync(Input, ids.Skip(i).Take(perSecond / 10).Select(id => KafkaPipelineCluster.Document(id)));
            await Task.Delay(100);
        }
    }

    /// <summary>The Orleans membership table in Redis: a hash of silo address to entry, Status 6 meaning Dead.</summary>
    private static bool IsDeclaredDead(ConnectionMultiplexer redis, string clusterId, int siloPort) =>
        redis.GetDatabase().HashGetAll($"herald/members/{clusterId}")
            .Any(e => e.Name.ToString().Contains($":{siloPort}@", StringComparison.Ordinal) || e.Name.ToString().Contains($":{siloPort}:", StringComparison.Ordinal)
                ? Regex.IsMatch(e.Value.ToString(), @"""Status""\s*:\s*(6|""Dead"")") : false);

    private static async Task<TimeSpan> TimeUntilAsync(Func<bool> condition, Stopwatch clock)
    {
        while (!condition())
        {
            if (clock.Elapsed > Patience) throw new TimeoutException($"not within {Patience}");
            await Task.Delay(100);
        }
        return clock.Elapsed;
    }

    private static (int Missing, int Duplicates) Outcome(KafkaTestClient kafka, IReadOnlyList<string> ids)
    {
        var wanted = ids.ToHashSet();
        var completes = kafka.ReadUntil(Annotations, records =>
                wanted.All(new HashSet<string?>(records.Where(r => Header(r, "herald-event") == "complete").Select(r => r.Message.Key)).Contains), Patience)
            .Where(r => Header(r, "herald-event") == "complete" && wanted.Contains(r.Message.Key!))
            .GroupBy(r => r.Message.Key!)
            .ToDictionary(g => g.Key, g => g.Count());
        return (ids.Count(id => !completes.ContainsKey(id)), completes.Values.Sum(n => n - 1));
    }

    /// <summary>Where the documents without a complete record sit: below the committed offset (lost) or above it (stuck).</summary>
    private static string Diagnose(KafkaTestClient kafka, IReadOnlyList<string> ids)
    {
        var completed = kafka.ReadUntil(Annotations, _ => false, TimeSpan.FromSeconds(3))
            .Where(r => Header(r, "herald-event") == "complete").Select(r => r.Message.Key).ToHashSet();
        var inputs = kafka.ReadUntil(Input, records => records.Count >= ids.Count, TimeSpan.FromSeconds(10));
        var committed = kafka.Committed("herald-news", Input, Partitions);
        var missing = inputs.Where(r => !completed.Contains(r.Message.Key)).ToList();
        return $"committed {string.Join(",", committed)}; end {string.Join(",", kafka.EndOffsets(Input, Partitions))}; missing by partition: "
            + string.Join("; ", missing.GroupBy(r => r.Partition.Value).OrderBy(g => g.Key)
                .Select(g => $"p{g.Key}: {g.Count()} at offsets {g.Min(r => r.Offset.Value)}-{g.Max(r => r.Offset.Value)} ({g.Count(r => r.Offset.Value < committed[g.Key])} below the commit)"));
    }
}
