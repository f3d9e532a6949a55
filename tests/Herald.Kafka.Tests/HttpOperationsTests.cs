using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static Herald.Kafka.Tests.HttpApiTests;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>Changing a running cluster over HTTP: live redeploy, retire, pause and resume, with documents flowing.</summary>
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
    public async Task A_pipeline_deployed_over_http_can_be_used_and_retired()
    {
        using var client = silo.Operator();
        var deployed = await client.PutAsync("api/pipelines/scratch", new StringContent(RulesYaml("scratch"), Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        // No Kafka reader exists for a tag born over HTTP, and the answer says so.
        Assert.False((bool)JsonNode.Parse(await deployed.Content.ReadAsStringAsync())!["readsInput"]!);
        var annotated = await client.PostAsJsonAsync("api/annotate", new { pipeline = "scratch", text = "Hollin Bank names Ada Reyes as chief executive." });
        Assert.Equal(HttpStatusCode.OK, annotated.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("api/pipelines/scratch")).StatusCode);

        await AssertProblemAsync(await client.PostAsJsonAsync("api/annotate", new { pipeline = "scratch", text = "x" }), HttpStatusCode.NotFound, "no pipeline 'scratch' is deployed");
        await AssertProblemAsync(await client.DeleteAsync("api/pipelines/scratch"), HttpStatusCode.NotFound, "no pipeline 'scratch' is deployed");
        await AssertProblemAsync(await client.PostAsync("api/annotators/news/nope/pause", null), HttpStatusCode.NotFound, "pipeline 'news' has no annotator 'nope'");
    }

    [Fact]
    public async Task Input_for_a_retired_pipeline_is_dead_lettered_and_its_partitions_move_on()
    {
        using var client = silo.Operator();
        var yaml = (string)JsonNode.Parse(await client.GetStringAsync("api/pipelines/news"))!["yaml"]!;
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("api/pipelines/news")).StatusCode);
        try
        {
            await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, [KafkaPipelineCluster.Document("after-retire")]);
            var letters = silo.Kafka.ReadUntil("herald.deadletter", rs => rs.Any(r => r.Message.Key == "after-retire"), Patience);
            var letter = Assert.Single(letters, r => r.Message.Key == "after-retire");
            Assert.StartsWith("pipeline 'news' is retired", Header(letter, "herald-reason"));
            // With no pipeline left the silo stays ready: on Kubernetes it must stay in its Service to take the next deploy.
            using var probe = silo.Anonymous();
            var ready = await probe.GetAsync("health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("api/pipelines/news", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).StatusCode);
        }
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

    /// <summary>The complete records of these documents on the central topic, read until all (or <paramref name="atLeast"/>) are there or the wait ends.</summary>
    private Dictionary<string, JsonNode> Completes(IReadOnlyList<string> ids, TimeSpan wait, int? atLeast = null)
    {
        var wanted = ids.ToHashSet();
        return silo.Kafka.ReadUntil(HttpSilo.Annotations, records => records.Count(r => wanted.Contains(r.Message.Key!) && Header(r, "herald-event") == "complete") >= (atLeast ?? ids.Count), wait)
            .Where(r => wanted.Contains(r.Message.Key!) && Header(r, "herald-event") == "complete" && Header(r, "herald-pipeline") == "news")
            .GroupBy(r => r.Message.Key!)
            .ToDictionary(g => g.Key, g => JsonNode.Parse(g.Last().Message.Value)!);
    }
}
