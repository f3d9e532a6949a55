using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Kafka.Embedded;
using Herald.Tests.Remote;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>
/// A silo process runs a pipeline that mixes rules with remote annotators in other processes: a Python http annotator
/// and a Python model server on the Open Inference Protocol. Documents flow from Kafka to the central topic through all of them.
/// </summary>
public sealed class RemoteAnnotatorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

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
          - name: digest
            version: 1.0.0
            kind: keywords
            requires: ["sentiment@^1?", "urgency@^1"]
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
        var folder = Directory.CreateTempSubdirectory("herald-remote-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "mixed.yaml"), Pipeline(sentiment.Url, models.Url));
        using var silo = SiloProcess.Start("remote", broker.BootstrapServers, primary: null, new Dictionary<string, string> { ["Herald__PipelinesPath"] = folder });
        await silo.WaitUntilReadyAsync(Patience);
        var kafka = new KafkaTestClient(broker.BootstrapServers);

        var ids = Enumerable.Range(0, 120).Select(i => $"remote-{i}").ToList();
        await kafka.ProduceDocumentsAsync(HeraldTopics.Input, ids.Select(id => new JsonObject
        {
            ["id"] = id,
            ["text"] = id.EndsWith('0') ? "Breaking: Lumenwell halts the plant after a recall" : "Cinderline raises $3.5 million as growth continues",
        }));
        // Kill the http annotator's process once some documents have been through it.
        kafka.ReadUntil(HeraldTopics.Annotations, records => records.Count(r => Header(r, "herald-event") == "complete") >= 10, Patience);
        sentiment.Kill();

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
        });
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
