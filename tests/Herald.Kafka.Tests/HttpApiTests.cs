using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>Herald's HTTP API over real HTTP on loopback against a running silo process.</summary>
[Trait("Category", "process")]
[Collection(HttpSiloCollection.Name)]
public sealed class HttpApiTests(HttpSilo silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Annotate_runs_a_text_through_a_pipeline_without_publishing_it()
    {
        using var client = silo.Anonymous();
        var response = await client.PostAsJsonAsync("api/annotate", new { pipeline = "news", text = "Tarnwell Robotics raised $20 million in a Series B led by Foundry Capital." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("complete", (string)result["status"]!);
        Assert.Equal("funding_round", (string)result["annotations"]!["event-type"]!["value"]!["label"]!);
        Assert.Equal(20_000_000m, (decimal)result["annotations"]!["signal"]!["value"]!["amount"]!["amount"]!);
        var id = (string)result["id"]!;
        Assert.DoesNotContain(silo.Kafka.ReadUntil(HttpSilo.Annotations, _ => false, TimeSpan.FromSeconds(2)), r => r.Message.Key == id);
    }

    [Fact]
    public async Task Annotate_publishes_to_the_central_topic_only_when_asked_and_authorised()
    {
        var request = new { pipeline = "news", document = new { id = "http-publish-1", text = "Corvane Aerospace agreed to buy Pellwick Avionics for $90 million." }, publish = true };
        using (var anonymous = silo.Anonymous())
            await AssertProblemAsync(await anonymous.PostAsJsonAsync("api/annotate", request), HttpStatusCode.Unauthorized, "send Authorization: Bearer");

        using var client = silo.Operator();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("api/annotate", request)).StatusCode);
        var records = silo.Kafka.ReadUntil(HttpSilo.Annotations, rs => rs.Any(r => r.Message.Key == "http-publish-1" && Header(r, "herald-event") == "complete"), Patience);
        Assert.Contains(records, r => r.Message.Key == "http-publish-1" && Header(r, "herald-event") == "complete");
    }

    [Theory]
    [InlineData("""{"text": "no pipeline"}""", 400, "'pipeline' is required")]
    [InlineData("""{"pipeline": "news", "text": "a", "document": {"text": "b"}}""", 400, "give exactly one of 'text' and 'document'")]
    [InlineData("""{"pipeline": "news", "document": {"title": "no text"}}""", 400, "the document is not valid")]
    [InlineData("""{"pipeline": "nope", "text": "a"}""", 404, "no pipeline 'nope' is deployed (deployed: news")]
    public async Task Bad_annotate_requests_get_a_specific_problem(string body, int status, string detail)
    {
        using var client = silo.Anonymous();
        var response = await client.PostAsync("api/annotate", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, (HttpStatusCode)status, detail);
    }

    [Fact]
    public async Task Every_refused_request_is_a_problem_with_a_specific_detail()
    {
        using var client = silo.Anonymous();
        async Task<HttpResponseMessage> Post(byte[] body, string type = "application/json")
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new(type);
            return await client.PostAsync("api/annotate", content);
        }
        await AssertProblemAsync(await Post("{\"pipeline\": "u8.ToArray()), HttpStatusCode.BadRequest, "the body is not valid JSON");
        await AssertProblemAsync(await Post("""{"pipeline": "news", "text": 5}"""u8.ToArray()), HttpStatusCode.BadRequest, "'text' must be a string, not number");
        await AssertProblemAsync(await Post("""{"pipeline": "news", "text": "a", "publish": "yes"}"""u8.ToArray()), HttpStatusCode.BadRequest, "'publish' must be true or false, not string");
        await AssertProblemAsync(await Post("""{"pipeline": "news", "document": {"text": "a", "title": 42}}"""u8.ToArray()), HttpStatusCode.BadRequest, "'title' must be a string, not number");
        await AssertProblemAsync(await Post("""{"pipeline": "news", "document": {"text": "a", "text": "b"}}"""u8.ToArray()), HttpStatusCode.BadRequest, "the document is not valid");
        await AssertProblemAsync(await Post("""{"pipeline": "news", "text": "a"}"""u8.ToArray(), "text/plain"), HttpStatusCode.UnsupportedMediaType, "POST /api/annotate does not take content type 'text/plain'");
        await AssertProblemAsync(await Post(Encoding.UTF8.GetBytes($$"""{"pipeline": "news", "text": "{{new string('x', 1_100_000)}}"}""")), HttpStatusCode.RequestEntityTooLarge,
            "the request body is larger than Herald:Http:MaxRequestBytes (1000000 bytes)");
        await AssertProblemAsync(await Post(Encoding.UTF8.GetBytes($$"""{"pipeline": "news", "text": "{{new string('x', 200_001)}}"}""")), HttpStatusCode.RequestEntityTooLarge,
            "'text' has 200001 characters, more than Herald:Http:MaxTextLength (200000)");
        // One rule for invalid text, at the top level and inside a document, as on the input topic: refused, never repaired.
        await AssertProblemAsync(await Post([.. "{\"pipeline\": \"news\", \"text\": \"bad "u8, 0xFF, .. "\"}"u8]), HttpStatusCode.BadRequest, "not UTF-8: the byte at offset 34");
        await AssertProblemAsync(await Post([.. "{\"pipeline\": \"news\", \"document\": {\"text\": \"bad "u8, 0xC0, 0x80, .. "\"}}"u8]), HttpStatusCode.BadRequest, "not UTF-8: the byte at offset 47");
        await AssertProblemAsync(await Post("""{"pipeline": "news", "document": {"text": "lone \ud800"}}"""u8.ToArray()), HttpStatusCode.BadRequest, "not valid Unicode");
        // What the framework answers itself: no route, wrong method.
        await AssertProblemAsync(await client.GetAsync("api/nothing-here"), HttpStatusCode.NotFound, "nothing at GET /api/nothing-here");
        await AssertProblemAsync(await client.DeleteAsync("api/status"), HttpStatusCode.MethodNotAllowed, "DELETE is not allowed on /api/status");
    }

    [Fact]
    public async Task A_completed_document_id_is_answered_from_its_record_and_a_changed_resubmission_is_refused()
    {
        using var client = silo.Operator();
        var document = new JsonObject { ["id"] = "http-once-1", ["text"] = "Corvane Aerospace agreed to buy Pellwick Avionics for $90 million." };
        var first = await client.PostAsJsonAsync("api/annotate", new { pipeline = "news", document, publish = true });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var recorded = await first.Content.ReadAsStringAsync();

        // Again, published or not: the same record, nothing run or published again.
        foreach (var publish in new[] { true, false })
        {
            var again = await client.PostAsJsonAsync("api/annotate", new { pipeline = "news", document, publish });
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(recorded, await again.Content.ReadAsStringAsync());
        }
        var changed = new JsonObject { ["id"] = "http-once-1", ["text"] = "Corvane Aerospace agreed to buy Pellwick Avionics for $95 million." };
        foreach (var publish in new[] { true, false })
            await AssertProblemAsync(await client.PostAsJsonAsync("api/annotate", new { pipeline = "news", document = changed, publish }), HttpStatusCode.Conflict,
                "document 'http-once-1' already completed in pipeline 'news' with different content");

        // The same from Kafka: a redelivery is answered from the record, a changed resubmission is dead-lettered with why.
        await silo.Kafka.ProduceAsync(HttpSilo.Input, "http-once-1", document.ToJsonString());
        await silo.Kafka.ProduceAsync(HttpSilo.Input, "http-once-1", changed.ToJsonString());
        var letters = silo.Kafka.ReadUntil("herald.deadletter", rs => rs.Any(r => r.Message.Key == "http-once-1"), Patience);
        var letter = Assert.Single(letters, r => r.Message.Key == "http-once-1");
        Assert.Equal(changed.ToJsonString(), letter.Message.Value);
        Assert.StartsWith("document 'http-once-1' already completed in pipeline 'news' with different content", Header(letter, "herald-reason"));
        await Task.Delay(1000);
        var completes = silo.Kafka.ReadAll(HttpSilo.Annotations)
            .Where(r => r.Message.Key == "http-once-1" && Header(r, "herald-event") == "complete" && Header(r, "herald-pipeline") == "news").ToList();
        Assert.Equal(recorded, Assert.Single(completes).Message.Value);
        Assert.Contains("herald_documents_conflicting", await client.GetStringAsync("metrics"));
    }

    [Theory]
    [InlineData("news/slash%2Fid%25x", "slash/id%x")]
    [InlineData("news/slash/id%25x", "slash/id%x")]
    public async Task A_document_id_holding_a_slash_can_be_looked_up(string path, string id)
    {
        using var client = silo.Operator();
        var published = await client.PostAsJsonAsync("api/annotate", new { pipeline = "news", document = new { id, text = "Ferro Labs raised $3 million." }, publish = true });
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        var found = await client.GetAsync($"api/documents/{path}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(id, (string)JsonNode.Parse(await found.Content.ReadAsStringAsync())!["id"]!);
    }

    [Fact]
    public async Task A_document_read_from_kafka_can_be_looked_up_and_an_unknown_one_is_404()
    {
        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, [KafkaPipelineCluster.Document("http-lookup-1")]);
        using var client = silo.Anonymous();
        JsonNode? document = null;
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && document?["status"]?.ToString() != "complete")
        {
            var response = await client.GetAsync("api/documents/news/http-lookup-1");
            document = response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
            await Task.Delay(200);
        }
        Assert.Equal("complete", (string)document!["status"]!);
        Assert.Equal("http-lookup-1", (string)document["id"]!);

        await AssertProblemAsync(await client.GetAsync("api/documents/news/never-sent"), HttpStatusCode.NotFound, "document 'never-sent' is not known in pipeline 'news'");
    }

    [Fact]
    public async Task Reads_pipelines_status_openapi_metrics_and_the_dashboard()
    {
        using var client = silo.Anonymous();
        var pipelines = JsonNode.Parse(await client.GetStringAsync("api/pipelines"))!.AsArray();
        var news = Assert.Single(pipelines, p => (string)p!["tag"]! == "news")!;
        Assert.Contains(news["annotators"]!.AsArray(), a => (string)a!["name"]! == "signal" && a["requires"]!.AsArray().Count == 4);
        await AssertProblemAsync(await client.GetAsync("api/pipelines/nope"), HttpStatusCode.NotFound, "no pipeline 'nope' is deployed");

        // Silos report every second, and a reader knows its partition's end after its first fetch.
        var status = JsonNode.Parse(await client.GetStringAsync("api/status"))!;
        for (var wait = 0; wait < 50 && status["partitions"]!.AsArray().Count == 0; wait++)
        {
            await Task.Delay(200);
            status = JsonNode.Parse(await client.GetStringAsync("api/status"))!;
        }
        Assert.True((int)status["silos"]! >= 1);
        Assert.Contains(status["pipelines"]!.AsArray(), p => (string)p!["tag"]! == "news" && p["annotators"]!.AsArray().Count == 5);
        Assert.NotEmpty(status["partitions"]!.AsArray());

        var openApi = JsonNode.Parse(await client.GetStringAsync("openapi/v1.json"))!;
        foreach (var path in new[] { "/api/annotate", "/api/documents/{pipeline}/{id}", "/api/pipelines/{tag}", "/api/annotators/{pipeline}/{name}/pause", "/api/status" })
            Assert.NotNull(openApi["paths"]![path]);

        var metrics = await client.GetStringAsync("metrics");
        Assert.Contains("herald_documents_started", metrics);
        Assert.Contains("<title>Orleans Dashboard</title>", await client.GetStringAsync("dashboard/"));
    }

    [Fact]
    public async Task Annotate_work_is_bounded_and_other_host_names_are_refused()
    {
        using var client = silo.Anonymous();
        using var operations = silo.Operator();
        // Runs are held at a paused annotator, so the limit (2 at once, 4 waiting) is certainly reached.
        Assert.Equal(HttpStatusCode.OK, (await operations.PostAsync("api/annotators/news/money/pause", null)).StatusCode);
        Task<HttpResponseMessage[]> burst;
        try
        {
            burst = Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
                client.PostAsJsonAsync("api/annotate", new { pipeline = "news", text = $"Burst {i}: Ferro Labs raised $3 million." })));
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await operations.PostAsync("api/annotators/news/money/resume", null)).StatusCode);
        }
        var responses = await burst;
        Assert.Equal(6, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = Assert.Single(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).Take(1));
        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "annotate requests at once: retry later");

        // A loopback silo answers loopback host names only: a page cannot reach it through DNS rebinding.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "api/status");
        rebound.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(rebound)).StatusCode);
    }

    [Fact]
    public async Task Mutations_refuse_a_missing_or_wrong_token()
    {
        using var anonymous = silo.Anonymous();
        await AssertProblemAsync(await anonymous.PostAsync("api/annotators/news/money/pause", null), HttpStatusCode.Unauthorized, "send Authorization: Bearer");
        using var wrong = silo.Anonymous();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token");
        await AssertProblemAsync(await wrong.DeleteAsync("api/pipelines/news"), HttpStatusCode.Unauthorized, "the bearer token is not valid");
        await AssertProblemAsync(await wrong.PutAsync("api/pipelines/news", new StringContent("pipeline: news")), HttpStatusCode.Unauthorized, "the bearer token is not valid");
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(detail, (string)problem["detail"]!);
    }
}
