using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Kafka.Embedded;
using Herald.Tests.Remote;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>
/// A silo process runs a pipeline that mixes rules with remote annotators in other processes: a Python http annotator,
/// a Python model server on the Open Inference Protocol, and Node.js Kafka workers (kafkajs). Documents flow from Kafka to
/// the central topic through all of them.
/// </summary>
[Trait("Category", "process")]
public sealed class RemoteAnnotatorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const string RequestTopic = "herald.requests.topics";

    /// <summary>A Node.js worker of the SDK's example, in the repository (where npm installed kafkajs); null without node (never under CI=true).</summary>
    private static async Task<ChildProcess?> NodeWorkerAsync(string bootstrap)
    {
        if (!ChildProcess.OnPath("node"))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "node is required under CI=true (scripts/install-test-deps.sh installs it)");
            return null;
        }
        var worker = new ChildProcess("node", Path.Combine(SiloProcess.RepositoryRoot(), "sdk", "node", "examples", "topics-worker.js"),
            "--brokers", bootstrap, "--request-topic", RequestTopic, "--group", "topics-workers", "--delay-ms", "20", "--concurrency", "4");
        await worker.WaitForOutputAsync("worker ready", Patience);
        return worker;
    }

    private static string Pipeline(Uri sentiment, Uri models) => $$"""
        pipeline: mixed
        input: { start: earliest }
        annotators:
          - { name: money, version: 1.0.0, kind: money }
          - name: event-type
            version: 1.0.0
            kind: keywords
            options: { defaultLabel: other, labels: { funding_round: ["raise*", "funding"] } }
          - name: urgency
            version: 1.0.0
            kind: inference
            options: { url: "{{models}}", model: urgency, inputs: { text: text }, labels: [low, high], scores: probabilities, batchWaitMs: 5 }
          - name: sentiment
            version: 1.0.0
            kind: http
            requires: [event-type@^1]
            retries: 1
            options: { url: "{{sentiment}}", maxConcurrency: 2 }
          - name: topics
            version: 1.0.0
            kind: kafka
            requires: ["event-type@^1?"]
            timeout: 4s
            retries: 6
            options: { requestTopic: {{RequestTopic}}, breakForMs: 2000 }
          - name: digest
            version: 1.0.0
            kind: keywords
            requires: ["sentiment@^1?", "urgency@^1", "topics@^1?"]
            options: { defaultLabel: none, labels: { tagged: ["raise*"] } }
        """;

    [Fact]
    public async Task Documents_run_through_remote_annotators_and_a_killed_service_fails_only_its_branch()
    {
        using var models = await PythonService.StartAsync("urgency_model.py");
        // 40 ms a document, two at a time: slow enough that the kill lands while documents wait for it.
        using var sentiment = await PythonService.StartAsync("sentiment_http.py", arguments: ["--delay-ms", "40"]);
        if (models is null || sentiment is null) return;
        await using var broker = new EmbeddedKafkaBroker();
        broker.WithHeraldTopics(4);
        broker.CreateTopic(RequestTopic, 4);
        broker.CreateTopic("herald.worker-results", 4);
        using var firstWorker = await NodeWorkerAsync(broker.BootstrapServers);
        if (firstWorker is null) return;
        var folder = Directory.CreateTempSubdirectory("herald-remote-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "mixed.yaml"), Pipeline(sentiment.Url, models.Url));
        using var silo = SiloProcess.Start("remote", broker.BootstrapServers, primary: null, new Dictionary<string, string> { ["Herald__PipelinesPath"] = folder });
        await silo.WaitUntilReadyAsync(Patience);
        var kafka = new KafkaTestClient(broker.BootstrapServers);

        var ids = Enumerable.Range(0, 120).Select(i => $"remote-{i}").ToList();
        await kafka.ProduceDocumentsAsync(HeraldTopics.Input, ids.Select(id => new JsonObject
        {
            ["id"] = id,
            ["text"] = id.EndsWith('0') ? "Breaking: Lumenwell halts the battery plant after a recall" : "Cinderline raises $3.5 million as growth continues",
        }));
        // Kill the http annotator's process and the Kafka worker once some documents have been through them, then start a
        // replacement worker in the same group. (One worker at a time: librdkafka's mock broker answers a second kafkajs member's
        // SyncGroup with INVALID_REQUEST; on a real cluster workers scale out in their group.)
        // Counted by documents the worker answered, not merely completed: on a saturated machine the first requests can time out
        // (their late answers are ignored) and complete as failed before the worker has answered any in time.
        kafka.ReadUntil(HeraldTopics.Annotations, records => records.Count(r => Header(r, "herald-event") == "complete"
            && (string?)JsonNode.Parse(r.Message.Value)!["annotations"]!["topics"]!["status"] == "done") >= 10, Patience);
        sentiment.Kill();
        firstWorker.Dispose();
        using var replacement = await NodeWorkerAsync(broker.BootstrapServers);

        var records = kafka.ReadUntil(HeraldTopics.Annotations,
            rs => ids.All(id => rs.Any(r => r.Message.Key == id && Header(r, "herald-event") == "complete")), Patience);

        var finals = ids.Select(id => JsonNode.Parse(records.Single(r => r.Message.Key == id && Header(r, "herald-event") == "complete").Message.Value)!).ToList();
        Assert.All(finals, f =>
        {
            var annotations = f["annotations"]!;
            Assert.Equal("done", (string)annotations["urgency"]!["status"]!);
            Assert.Equal("done", (string)annotations["money"]!["status"]!);
            // The optional sentiment never holds the digest back.
            Assert.Equal("done", (string)annotations["digest"]!["status"]!);
            Assert.Contains((string)annotations["sentiment"]!["status"]!, new[] { "done", "failed" });
            // A request lost with the dead worker times out and is retried; after its retries it fails: timed out, or failing
            // fast on the open circuit, which names the topic.
            var topics = annotations["topics"]!;
            Assert.True((string)topics["status"]! == "done" || ((string)topics["error"]!).Contains(RequestTopic) || (string)topics["error"]! == "timed out after 4s",
                topics.ToJsonString());
        });
        var answered = finals.Where(f => (string)f["annotations"]!["topics"]!["status"]! == "done").ToList();
        Assert.Contains(answered, f => ((string)f["id"]!).EndsWith('0')
            && f["annotations"]!["topics"]!["value"]!["topics"]!.AsArray().Select(t => (string)t!).SequenceEqual(["energy"]));
        Assert.Contains(answered, f => (string?)f["annotations"]!["topics"]!["value"]!["event"] == "funding_round");
        var firstWorkerPid = int.Parse(Regex.Match(firstWorker.Output, @"worker ready \(pid (\d+)\)").Groups[1].Value);
        Assert.Contains(answered, f => (int)f["annotations"]!["topics"]!["value"]!["worker"]! == firstWorkerPid);

        // The others went on meanwhile; and once the replacement is in its group, the circuit closes and it does the work.
        var later = Enumerable.Range(0, 20).Select(i => $"later-{i}").ToList();
        await kafka.ProduceDocumentsAsync(HeraldTopics.Input, later.Select(id => new JsonObject { ["id"] = id, ["text"] = "Cinderline raises $3.5 million for solar" })
            .Append(new JsonObject { ["id"] = "remote-1", ["text"] = "Other text under a completed id" })); // a conflict, for its metric
        var laterRecords = kafka.ReadUntil(HeraldTopics.Annotations,
            rs => later.All(id => rs.Any(r => r.Message.Key == id && Header(r, "herald-event") == "complete")), Patience);
        var laterTopics = later.Select(id => JsonNode.Parse(laterRecords.Single(r => r.Message.Key == id && Header(r, "herald-event") == "complete").Message.Value)!["annotations"]!["topics"]!).ToList();
        Assert.All(laterTopics, t => Assert.True((string)t["status"]! == "done", t.ToJsonString()));
        Assert.All(laterTopics, t => Assert.NotEqual(firstWorkerPid, (int)t["value"]!["worker"]!));
        var urgent = finals.Single(f => (string)f["id"]! == "remote-10");
        Assert.Equal("high", (string)urgent["annotations"]!["urgency"]!["value"]!["label"]!);
        Assert.Equal("funding_round", (string)finals[1]["annotations"]!["event-type"]!["value"]!["label"]!);

        var sentiments = finals.Select(f => f["annotations"]!["sentiment"]!).ToList();
        Assert.Contains(sentiments, s => (string)s["status"]! == "done" && (string)s["value"]!["label"]! == "positive" && (string)s["value"]!["event"]! == "funding_round");
        var failed = sentiments.Where(s => (string)s["status"]! == "failed").ToList();
        Assert.NotEmpty(failed);
        // Every failure says where the call went and what happened: refused, or failing fast on the open circuit.
        Assert.All(failed, s => Assert.Contains(sentiment.Url.ToString(), (string)s["error"]!));
        Assert.Contains(failed, s => ((string)s["error"]!).Contains("circuit open"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}/") };
        await WaitUntilAsync(() =>
        {
            var status = JsonNode.Parse(http.GetStringAsync("api/status").Result)!;
            var annotators = status["pipelines"]!.AsArray().Single(p => (string)p!["tag"]! == "mixed")!["annotators"]!.AsArray();
            return (string?)annotators.Single(a => (string)a!["name"]! == "sentiment")!["circuit"] == "open"
                && (string?)annotators.Single(a => (string)a!["name"]! == "urgency")!["circuit"] == "closed"
                && annotators.Single(a => (string)a!["name"]! == "money")!["circuit"] is null;
        }, TimeSpan.FromSeconds(10));
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("herald_remote_circuit_open{", metrics);
        Assert.Contains("herald_remote_calls_total{", metrics);
        kafka.ReadUntil(HeraldTopics.DeadLetters, rs => rs.Any(r => r.Message.Key == "remote-1"), Patience);
        await WaitUntilAsync(() => http.GetStringAsync("metrics").Result.Contains("herald_documents_conflicting_total{"), TimeSpan.FromSeconds(10));
        AssertMonitoringReadsLiveSeries(await http.GetStringAsync("metrics"));
    }

    /// <summary>
    /// The Helm chart's Grafana dashboard and alert rules query only series this silo (which has run every kind of annotator and
    /// read Kafka) exports, so a renamed metric breaks the build rather than a dashboard in production.
    /// </summary>
    private static void AssertMonitoringReadsLiveSeries(string metrics)
    {
        var files = Path.Combine(SiloProcess.RepositoryRoot(), "helm", "herald", "files");
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(files, "grafana-dashboard.json")))!;
        var panelQueries = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => (string)t!["expr"]!)).ToList();
        Assert.NotEmpty(panelQueries);
        var rules = new YamlDotNet.Serialization.DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, List<Dictionary<string, object>>>>(File.ReadAllText(Path.Combine(files, "prometheus-alerts.yaml")))["groups"]
            .SelectMany(g => (List<object>)g["rules"]).Cast<Dictionary<object, object>>().ToList();
        Assert.Equal(["HeraldConsumerLagGrowing", "HeraldAnnotatorErrorRate", "HeraldCircuitOpen"], rules.Select(r => (string)r["alert"]));
        Assert.All(rules, r =>
        {
            Assert.True(r.ContainsKey("for") && ((Dictionary<object, object>)r["labels"]).ContainsKey("severity")
                && ((Dictionary<object, object>)r["annotations"]).ContainsKey("summary"), $"rule {r["alert"]} needs for, labels.severity and annotations.summary");
        });
        var queried = panelQueries.Concat(rules.Select(r => (string)r["expr"]))
            .SelectMany(q => Regex.Matches(q, @"\bherald_[a-z_]+").Select(m => m.Value)).Distinct().ToList();
        Assert.All(queried, series => Assert.Matches($@"(?m)^{series}[{{ ]", metrics));
    }

    [Fact]
    public async Task A_deploy_whose_model_the_server_lacks_is_refused_with_the_reason()
    {
        using var models = await PythonService.StartAsync("urgency_model.py");
        if (models is null) return;
        await using var broker = new EmbeddedKafkaBroker();
        broker.WithHeraldTopics(2);
        using var silo = SiloProcess.Start("deploy-remote", broker.BootstrapServers, primary: null);
        await silo.WaitUntilReadyAsync(Patience);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}/") };
        http.DefaultRequestHeaders.Add("X-Herald-Request", "1");
        var yaml = $$"""
            pipeline: canary
            annotators:
              - name: urgency
                version: 2.0.0
                kind: inference
                options: { url: "{{models.Url}}", model: urgency-v2, inputs: { text: text } }
            """;

        var response = await http.PutAsync("api/pipelines/canary", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("pipeline 'canary' has 1 remote annotator(s) that cannot serve it; nothing was deployed", (string)problem["detail"]!);
        Assert.Contains($"annotator 'urgency' (inference): {models.Url}: the server has no model 'urgency-v2'", (string)problem["errors"]![0]!);
        var pipelines = await http.GetFromJsonAsync<JsonArray>("api/pipelines");
        Assert.DoesNotContain(pipelines!, p => (string)p!["tag"]! == "canary");
    }
}
