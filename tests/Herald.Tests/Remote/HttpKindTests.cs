using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Remote.Resilience;

namespace Herald.Tests.Remote;

/// <summary>The <c>http</c> kind against the Python SDK's example annotator, a real process on loopback.</summary>
[Trait("Category", "process")]
public sealed class HttpKindTests
{
    [Fact]
    public async Task A_python_annotator_gets_the_document_and_dependencies_and_answers_a_value_and_spans()
    {
        using var service = await PythonService.StartAsync("sentiment_http.py");
        if (service is null) return;
        var annotator = RemoteTestKit.Create("http", new JsonObject { ["url"] = service.Url.ToString() });
        const string text = "Lumenwell raises $40M as record growth continues";

        var annotation = await annotator.AnnotateAsync(RemoteTestKit.Input(text, ("event-type", """{"label":"funding","score":0.9}""")), CancellationToken.None);

        Assert.Equal("""{"label":"positive","score":3,"event":"funding"}""", annotation.Json());
        Assert.Equal(["raises", "record", "growth"], annotation.Spans!.Select(s => text[s.Start..s.End]));
        Assert.All(annotation.Spans!, s => Assert.Equal("positive", s.Label));
    }

    [Fact]
    public async Task The_python_sdk_reads_a_chunked_request_body()
    {
        using var service = await PythonService.StartAsync("sentiment_http.py");
        if (service is null) return;
        using var client = new HttpClient();
        // No length: the body goes in chunks, as .NET's JSON content and other streaming clients send it.
        var content = new StreamContent(new MemoryStream("""{"document": {"id": "c", "text": "profit surges"}, "dependencies": {}}"""u8.ToArray()));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, service.Url) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal("positive", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["value"]!["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task Credentials_come_from_the_environment_and_a_refusal_names_the_url_and_status()
    {
        var token = Guid.NewGuid().ToString("n");
        using var service = await PythonService.StartAsync("sentiment_http.py", environment: new Dictionary<string, string> { ["EXAMPLE_TOKEN"] = token },
            arguments: ["--token-env", "EXAMPLE_TOKEN"]);
        if (service is null) return;
        var variable = "HERALD_TEST_SENTIMENT_TOKEN_" + Guid.NewGuid().ToString("n")[..8];
        Environment.SetEnvironmentVariable(variable, "Bearer " + token);
        try
        {
            var authorised = RemoteTestKit.Create("http", new JsonObject { ["url"] = service.Url.ToString(), ["headersFromEnv"] = new JsonObject { ["Authorization"] = variable } });
            Assert.Equal("neutral", (await authorised.AnnotateAsync(RemoteTestKit.Input("a quiet day"), CancellationToken.None)).Value!["label"]!.GetValue<string>());

            var anonymous = RemoteTestKit.Create("http", new JsonObject { ["url"] = service.Url.ToString() });
            var refused = await Assert.ThrowsAsync<RemoteCallException>(() => anonymous.AnnotateAsync(RemoteTestKit.Input("a quiet day"), CancellationToken.None).AsTask());
            Assert.Contains($"POST {service.Url} answered 401 (Unauthorized)", refused.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var missing = Assert.Throws<AnnotatorConfigurationException>(() =>
            RemoteTestKit.Create("http", new JsonObject { ["url"] = service.Url.ToString(), ["headersFromEnv"] = new JsonObject { ["Authorization"] = variable } }));
        Assert.Equal($"header 'Authorization' is read from environment variable {variable}, which is not set on this silo", missing.Message);
    }

    [Fact]
    public async Task A_dead_service_opens_the_circuit_which_fails_fast_then_closes_when_the_service_is_back()
    {
        var port = PythonService.FreePort();
        var url = $"http://127.0.0.1:{port}/";
        var annotator = RemoteTestKit.Create("http", new JsonObject { ["url"] = url, ["breakAfter"] = 2, ["breakForMs"] = 1000 });

        // Building it called nothing; the deploy check does, and names the URL.
        var check = await Assert.ThrowsAsync<AnnotatorConfigurationException>(() => annotator.CheckAsync(CancellationToken.None));
        Assert.StartsWith($"{url} cannot be reached:", check.Message);

        for (var i = 0; i < 2; i++)
        {
            var refused = await Assert.ThrowsAsync<RemoteCallException>(() => annotator.AnnotateAsync(RemoteTestKit.Input("x"), CancellationToken.None).AsTask());
            Assert.StartsWith($"POST {url} failed:", refused.Message);
        }
        Assert.Equal(CircuitState.Open, annotator.Circuit);
        var fast = await Assert.ThrowsAsync<RemoteCallException>(() => annotator.AnnotateAsync(RemoteTestKit.Input("x"), CancellationToken.None).AsTask());
        Assert.StartsWith($"{url}: circuit open after repeated failures, failing fast", fast.Message);

        using var service = await PythonService.StartAsync("sentiment_http.py", port);
        if (service is null) return;
        await Task.Delay(1100); // the break is over: the next call probes the service
        var annotation = await annotator.AnnotateAsync(RemoteTestKit.Input("profit surges"), CancellationToken.None);
        Assert.Equal("positive", annotation.Value!["label"]!.GetValue<string>());
        Assert.Equal(CircuitState.Closed, annotator.Circuit);
        await annotator.CheckAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("""{"url": "ftp://x/"}""", "option 'url' must be an absolute http or https URL, not 'ftp://x/'")]
    [InlineData("""{}""", "option 'url' is required")]
    [InlineData("""{"url": "http://127.0.0.1:1/", "maxConcurrency": 0}""", "option 'maxConcurrency' must be at least 1, not 0")]
    [InlineData("""{"url": "http://127.0.0.1:1/", "headers": {"Content-Type": "text/plain"}}""", "'Content-Type' cannot be sent as a request header")]
    public void Bad_options_are_refused_with_the_option_named(string options, string message)
    {
        var error = Assert.Throws<AnnotatorConfigurationException>(() => RemoteTestKit.Create("http", JsonNode.Parse(options)!.AsObject()));
        Assert.Equal(message, error.Message);
    }
}
