using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static Herald.Kafka.Tests.HttpApiTests;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>Changing a running cluster over HTTP: live redeploy, retire, pause and resume, with documents flowing.</summary>
[Trait("Category", "process")]
[Collection(HttpSiloCollection.Name)]
public sealed class HttpOperationsTests(HttpSilo silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static string RulesYaml(string tag) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pipelines", "news-rules.yaml")).Replace("pipeline: news-rules", $"pipeline: {tag}");

    [Fact]
    public async Task A_paused_annotator_holds_documents_and_releases_them_all_on_resume()
    {
        using var client = silo.Operator();
        var paused = JsonNode.Parse(await (await client.PostAsync("api/annotators/news/money/pause", null)).Content.ReadAsStringAsync())!;
        Assert.True((bool)paused["paused"]!);
        Assert.Equal((int)paused["silos"]!, (int)paused["appliedBySilos"]!);
        var ids = Enumerable.Range(0, 20).Select(i => $"paused-{i}").ToList();
        try
        {
            await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, ids.Select(id => KafkaPipelineCluster.Document(id)));
            await WaitForAsync(async () => Money(await StatusAsync(client))?["waiting"]?.GetValue<long>() > 0, "documents waiting at the paused annotator");
            var money = Money(await StatusAsync(client))!;
            Assert.True((bool)money["paused"]!);
            Assert.Empty(Completes(ids, TimeSpan.FromSeconds(2)));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("api/annotators/news/money/resume", null)).StatusCode);
        }

        var completes = Completes(ids, Patience);
        Assert.Equal(ids.Order(), completes.Keys.Order());
        Assert.All(completes.Values, record => Assert.All(record["annotations"]!.AsObject(), a => Assert.NotEqual("failed", (string)a.Value!["status"]!)));
        Assert.All(completes.Values, record => Assert.Equal("done", (string)record["annotations"]!["money"]!["status"]!));
    }

    [Fact]
    public async Task A_redeploy_with_documents_in_flight_finishes_each_on_the_version_it_started_with()
    {
        using var client = silo.Operator();
        var original = JsonNode.Parse(await client.GetStringAsync("api/pipelines/news"))!;
        var (oldVersion, oldYaml) = ((string)original["version"]!, (string)original["yaml"]!);

        // A rejected definition reports every problem and changes nothing.
        var broken = oldYaml.Replace("kind: money", "kind: moneyz").Replace("requires: [event-type@^1,", "requires: [evnt-type@^1,");
        var rejected = await client.PutAsync("api/pipelines/news", new StringContent(broken, Encoding.UTF8, "application/yaml"));
        await AssertProblemAsync(rejected, (HttpStatusCode)422, "has 3 problem(s); nothing was deployed");
        var errors = JsonNode.Parse(await rejected.Content.ReadAsStringAsync())!["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(errors, e => e.StartsWith("news.yaml:") && e.Contains("unknown kind 'moneyz'"));
        Assert.Contains(errors, e => e.StartsWith("news.yaml:") && e.Contains("evnt-type"));
        Assert.Contains(errors, e => e.StartsWith("news.yaml:") && e.Contains("when"));
        await AssertProblemAsync(await client.PutAsync("api/pipelines/news", new StringContent(RulesYaml("other"), Encoding.UTF8, "application/yaml")),
            HttpStatusCode.BadRequest, "the definition says 'pipeline: other' but was sent to /api/pipelines/news");
        Assert.Equal(oldVersion, (string)JsonNode.Parse(await client.GetStringAsync("api/pipelines/news"))!["version"]!);

        // The new version adds an annotator; documents keep flowing while it is deployed.
        var next = oldYaml + "\n  - name: published\n    version: 1.0.0\n    kind: dates\n    options: { referenceField: publishedAt }\n";
        var ids = Enumerable.Range(0, 300).Select(i => $"redeploy-{i}").ToList();
        var (during, after) = (ids[..200], ids[200..]);
        var producing = Task.Run(async () =>
        {
            foreach (var chunk in during.Chunk(20))
            {
                await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, chunk.Select(id => KafkaPipelineCluster.Document(id)));
                await Task.Delay(100);
            }
        });
        // Deploy once some documents have completed on the old version, with more still arriving.
        Assert.NotEmpty(Completes(ids, Patience, atLeast: 20));
        string newVersion;
        try
        {
            var deployed = await client.PutAsync("api/pipelines/news", new StringContent(next, Encoding.UTF8, "application/yaml"));
            Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
            newVersion = (string)JsonNode.Parse(await deployed.Content.ReadAsStringAsync())!["version"]!;
            await producing;
            // Documents that arrive once the deploy has answered start on the new version, however fast the rest ran.
            await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, after.Select(id => KafkaPipelineCluster.Document(id)));

            var completes = Completes(ids, Patience);
            Assert.Equal(ids.Count, completes.Count);
            var versions = completes.Values.GroupBy(r => (string)r["pipeline"]!["version"]!).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal([newVersion, oldVersion], versions.Keys.Order(StringComparer.Ordinal).OrderBy(v => v == newVersion ? 0 : 1));
            Assert.All(versions[oldVersion], r => Assert.Null(r["annotations"]!["published"]));
            Assert.All(versions[newVersion], r => Assert.Equal("done", (string)r["annotations"]!["published"]!["status"]!));
            Assert.All(after, id => Assert.Equal(newVersion, (string)completes[id]["pipeline"]!["version"]!));
        }
        finally
        {
            await client.PutAsync("api/pipelines/news", new StringContent(oldYaml, Encoding.UTF8, "application/yaml"));
        }
    }

    [Fact]
    public async Task A_pipeline_deployed_over_http_reads_all_history_at_once_and_stops_reading_when_retired()
    {
        using var client = silo.Operator();
        var before = Enumerable.Range(0, 20).Select(i => $"backfill-before-{i}").ToList();
        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, before.Select(id => KafkaPipelineCluster.Document(id)));
        var yaml = RulesYaml("scratch").Replace("annotators:", "input: { start: earliest }\nannotators:");
        var deployed = await client.PutAsync("api/pipelines/scratch", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        var during = Enumerable.Range(0, 20).Select(i => $"backfill-during-{i}").ToList();
        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, during.Select(id => KafkaPipelineCluster.Document(id)));

        // A backfill: the new tag reads the input topic from its start, history and new documents alike.
        Assert.Equal(40, Completes(before.Concat(during).ToList(), Patience, pipeline: "scratch").Count);
        var annotated = await client.PostAsJsonAsync("api/annotate", new { pipeline = "scratch", text = "Hollin Bank names Ada Reyes as chief executive." });
        Assert.Equal(HttpStatusCode.OK, annotated.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("api/pipelines/scratch")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the silo's reader sees the retirement within a second, drains and commits
        var committed = silo.Kafka.Committed("herald-scratch", HttpSilo.Input, 4);
        Assert.Equal(silo.Kafka.EndOffsets(HttpSilo.Input, 4), committed);
        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, [KafkaPipelineCluster.Document("after-scratch-retired")]);
        Completes(["after-scratch-retired"], TimeSpan.FromSeconds(30), pipeline: "news");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(Completes(["after-scratch-retired"], TimeSpan.FromSeconds(1), pipeline: "scratch"));
        Assert.Equal(committed, silo.Kafka.Committed("herald-scratch", HttpSilo.Input, 4)); // its offsets stay where it left them

        await AssertProblemAsync(await client.PostAsJsonAsync("api/annotate", new { pipeline = "scratch", text = "x" }), HttpStatusCode.NotFound, "no pipeline 'scratch' is deployed");
        await AssertProblemAsync(await client.DeleteAsync("api/pipelines/scratch"), HttpStatusCode.NotFound, "no pipeline 'scratch' is deployed");
        await AssertProblemAsync(await client.PostAsync("api/annotators/news/nope/pause", null), HttpStatusCode.NotFound, "pipeline 'news' has no annotator 'nope'");
    }

    [Fact]
    public async Task A_sampled_pipeline_takes_its_share_and_always_the_same_documents()
    {
        using var client = silo.Operator();
        var ids = Enumerable.Range(0, 300).Select(i => $"sampled-{i}").ToList();
        var yaml = RulesYaml("canary").Replace("annotators:", "input: { start: latest, sample: 0.3 }\nannotators:");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("api/pipelines/canary", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).StatusCode);
        try
        {
            // "latest" is pinned once the canary's reader has taken its partitions.
            await WaitForAsync(() => Task.FromResult(silo.Kafka.Committed("herald-canary", HttpSilo.Input, 4).All(o => o >= 0)), "the canary taking its partitions");
            await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, ids.Select(id => KafkaPipelineCluster.Document(id)));
            Completes(ids, Patience, pipeline: "news"); // everything ran in the live pipeline
            await WaitForAsync(() => Task.FromResult(silo.Kafka.Committed("herald-canary", HttpSilo.Input, 4).SequenceEqual(silo.Kafka.EndOffsets(HttpSilo.Input, 4))),
                "the canary settling every message");

            var taken = Completes(ids, TimeSpan.FromSeconds(2), pipeline: "canary").Keys.ToHashSet();
            Assert.InRange(taken.Count, 60, 120); // 30% of 300, give or take
            // The same documents every time: those whose id hashes into the sample, on any silo and after any restart.
            var input = new Herald.Pipelines.PipelineInput(null, null, 0.3);
            Assert.Equal(ids.Where(input.Takes).Order(), taken.Order());
        }
        finally
        {
            await client.DeleteAsync("api/pipelines/canary");
        }
    }

    [Fact]
    public async Task A_retired_pipeline_stops_reading_and_takes_up_where_it_left_off_when_deployed_again()
    {
        using var client = silo.Operator();
        var yaml = (string)JsonNode.Parse(await client.GetStringAsync("api/pipelines/news"))!["yaml"]!;
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("api/pipelines/news")).StatusCode);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2)); // its reader drains, commits and leaves the group
            await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, [KafkaPipelineCluster.Document("after-retire")]);
            await Task.Delay(TimeSpan.FromSeconds(3));
            // Neither run nor refused: nobody reads the input for a retired pipeline.
            Assert.Empty(Completes(["after-retire"], TimeSpan.FromSeconds(1)));
            Assert.DoesNotContain(silo.Kafka.ReadAll("herald.deadletter"), r => r.Message.Key == "after-retire");
            // With no pipeline left the silo stays ready: on Kubernetes it must stay in its Service to take the next deploy.
            using var probe = silo.Anonymous();
            var ready = await probe.GetAsync("health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("api/pipelines/news", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).StatusCode);
        }
        // Deployed again, it reads on from its group's committed offsets: what came meanwhile runs.
        Assert.Single(Completes(["after-retire"], Patience));
        var deadline = DateTime.UtcNow + Patience;
        while (!silo.Kafka.Committed("herald-news", HttpSilo.Input, 4).SequenceEqual(silo.Kafka.EndOffsets(HttpSilo.Input, 4)) && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal(silo.Kafka.EndOffsets(HttpSilo.Input, 4), silo.Kafka.Committed("herald-news", HttpSilo.Input, 4));
    }

    [Fact]
    public async Task A_silo_refuses_to_start_with_mutations_open_to_the_network_and_no_token()
    {
        using var exposed = SiloProcess.Start("exposed", silo.Broker.BootstrapServers, primary: null,
            new Dictionary<string, string> { ["Herald__Http__Urls"] = $"http://0.0.0.0:{SiloProcess.FreePort()}" });
        await exposed.WaitForAsync(() => exposed.HasExited, TimeSpan.FromSeconds(60), "refusing to start");
        Assert.NotEqual(0, exposed.ExitCode);
        Assert.Contains("is not a loopback address, and mutations are enabled without Herald:Http:ApiToken", exposed.Output);
    }

    private static async Task<JsonNode> StatusAsync(HttpClient client) => JsonNode.Parse(await client.GetStringAsync("api/status"))!;

    private static JsonNode? Money(JsonNode status) =>
        status["pipelines"]!.AsArray().Single(p => (string)p!["tag"]! == "news")!["annotators"]!.AsArray().Single(a => (string)a!["name"]! == "money");

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within {Patience}");
            await Task.Delay(200);
        }
    }

    /// <summary>The complete records of these documents in a pipeline, read until all (or <paramref name="atLeast"/>) are there or the wait ends.</summary>
    private Dictionary<string, JsonNode> Completes(IReadOnlyList<string> ids, TimeSpan wait, int? atLeast = null, string pipeline = "news")
    {
        var wanted = ids.ToHashSet();
        bool Wanted(Confluent.Kafka.ConsumeResult<string?, string> r) =>
            wanted.Contains(r.Message.Key!) && Header(r, "herald-event") == "complete" && Header(r, "herald-pipeline") == pipeline;
        return silo.Kafka.ReadUntil(HttpSilo.Annotations, records => records.Count(Wanted) >= (atLeast ?? ids.Count), wait)
            .Where(Wanted)
            .GroupBy(r => r.Message.Key!)
            .ToDictionary(g => g.Key, g => JsonNode.Parse(g.Last().Message.Value)!);
    }
}
