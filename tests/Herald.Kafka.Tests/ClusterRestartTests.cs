using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Herald.Kafka.Tests;

/// <summary>
/// The README's multi-process setup as typed: <c>herald dev broker</c> in one process, silos given only its address
/// (Herald creates or finds its topics), with Redis storage; and what operators changed at run time (a pipeline deployed
/// over HTTP, a paused annotator) survives a restart of the whole cluster.
/// </summary>
[Trait("Category", "process")]
public sealed class ClusterRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Run_time_deployments_and_pauses_survive_a_whole_cluster_restart_with_redis()
    {
        if (await LocalServers.RedisAsync() is not { } redis) return; // a laptop without redis-server: this runs in CI
        using var redisProcess = redis.Process;
        var redisPort = redis.Port;
        var (broker, bootstrap) = await LocalServers.DevBrokerAsync();
        using var brokerProcess = broker;

        var settings = new Dictionary<string, string>
        {
            ["Herald__Clustering__Provider"] = "Redis",
            ["Herald__Clustering__Redis"] = $"127.0.0.1:{redisPort}",
            ["Herald__Storage__Provider"] = "Redis",
            ["Herald__Storage__Redis"] = $"127.0.0.1:{redisPort}",
        };
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pipelines", "news-rules.yaml")).Replace("pipeline: news-rules", "pipeline: restarted");

        using (var first = SiloProcess.Start("first", bootstrap, primary: null, settings))
        {
            await first.WaitUntilReadyAsync(Patience);
            using var client = Client(first);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("api/pipelines/restarted", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("api/annotators/news/money/pause", null)).StatusCode);
            await first.StopAsync(Patience); // the whole cluster: its only silo, as a redeploy stops it
        }

        using var second = SiloProcess.Start("second", bootstrap, primary: null, settings);
        await second.WaitUntilReadyAsync(Patience);
        using var after = Client(second);
        var deadline = DateTime.UtcNow + Patience;
        while (!(await after.GetAsync("api/pipelines/restarted")).IsSuccessStatusCode || !await MoneyPausedAsync(after))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the restarted cluster did not take its run-time changes back:{Environment.NewLine}{second.Output}");
            await Task.Delay(250);
        }
        var annotated = await after.PostAsync("api/annotate", new StringContent("""{"pipeline": "restarted", "text": "Hollin Bank names Ada Reyes as chief executive."}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, annotated.StatusCode);
    }

    private static HttpClient Client(SiloProcess silo)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Herald-Request", "test");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    private static async Task<bool> MoneyPausedAsync(HttpClient client)
    {
        var status = JsonNode.Parse(await client.GetStringAsync("api/status"))!;
        return status["pipelines"]!.AsArray().Any(p => (string)p!["tag"]! == "news" &&
            p["annotators"]!.AsArray().Any(a => (string)a!["name"]! == "money" && (bool)a["paused"]!));
    }
}
