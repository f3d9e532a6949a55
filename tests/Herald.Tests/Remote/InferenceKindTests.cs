using System.Text.Json.Nodes;
using Herald.Annotators;

namespace Herald.Tests.Remote;

/// <summary>The <c>inference</c> kind over REST against the Python SDK's example model server, a real process on loopback.</summary>
[Trait("Category", "process")]
public sealed class InferenceKindTests : IAsyncLifetime
{
    private PythonService? _server;

    public async Task InitializeAsync() => _server = await PythonService.StartAsync("urgency_model.py");

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }

    private JsonObject Options(string model, JsonObject inputs, int batchSize = 16, double batchWaitMs = 2) => new()
    {
        ["url"] = _server!.Url.ToString(),
        ["model"] = model,
        ["inputs"] = inputs,
        ["batchSize"] = batchSize,
        ["batchWaitMs"] = batchWaitMs,
    };

    [Fact]
    public async Task With_labels_the_scores_become_a_classifiers_value()
    {
        if (_server is null) return;
        var options = Options("urgency", new JsonObject { ["text"] = "text" });
        options["labels"] = new JsonArray("low", "high");
        options["scores"] = "probabilities";
        var annotator = RemoteTestKit.Create("inference", options);
        await annotator.CheckAsync(CancellationToken.None);

        var urgent = await annotator.AnnotateAsync(RemoteTestKit.Input("Breaking: the plant halts production"), CancellationToken.None);
        var calm = await annotator.AnnotateAsync(RemoteTestKit.Input("A calm quarter for the retailer"), CancellationToken.None);

        Assert.Equal("""{"label":"high","score":0.9,"distribution":{"low":0.1,"high":0.9}}""", urgent.Json());
        Assert.Equal("low", calm.Value!["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_documents_go_to_the_server_in_one_batch_and_each_gets_its_own_slice()
    {
        if (_server is null) return;
        var annotator = RemoteTestKit.Create("inference", Options("urgency", new JsonObject { ["text"] = "text" }, batchSize: 8, batchWaitMs: 200));
        string[] texts = ["urgent", "calm", "breaking now", "calm", "recall", "calm", "emergency", "calm"];

        var annotations = await Task.WhenAll(texts.Select(t => annotator.AnnotateAsync(RemoteTestKit.Input(t), CancellationToken.None).AsTask()));

        // Without labels: every output tensor by name, this document's row of it.
        Assert.All(annotations, a => Assert.Equal("[8]", a.Value!["batch_size"]!.ToJsonString()));
        for (var i = 0; i < texts.Length; i++)
        {
            var high = annotations[i].Value!["probabilities"]![1]!.GetValue<double>();
            Assert.True(texts[i] == "calm" ? high < 0.5 : high > 0.4, $"{texts[i]}: {annotations[i].Json()}");
        }
    }

    [Fact]
    public async Task A_dependency_path_feeds_an_fp32_tensor()
    {
        if (_server is null) return;
        var annotator = RemoteTestKit.Create("inference", Options("vector-sum", new JsonObject { ["vector"] = "embedding.vector" }));

        var annotation = await annotator.AnnotateAsync(RemoteTestKit.Input("x", ("embedding", """{"vector":[1.5,2,3],"dimensions":3}""")), CancellationToken.None);

        Assert.Equal("""{"sum":[6.5]}""", annotation.Json());
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => annotator.AnnotateAsync(RemoteTestKit.Input("x"), CancellationToken.None).AsTask());
        Assert.Equal("input 'vector' reads 'embedding.vector', but 'embedding' has no value for this document (add it to 'requires')", missing.Message);
    }

    [Fact]
    public async Task The_deploy_check_names_a_missing_model_an_unknown_input_and_an_absent_server()
    {
        if (_server is null) return;
        var url = _server.Url.ToString();

        var noModel = await Assert.ThrowsAsync<AnnotatorConfigurationException>(() =>
            RemoteTestKit.Create("inference", Options("sentiment", new JsonObject { ["text"] = "text" })).CheckAsync(CancellationToken.None));
        Assert.Equal($"{url}: the server has no model 'sentiment'", noModel.Message);

        var badInput = await Assert.ThrowsAsync<AnnotatorConfigurationException>(() =>
            RemoteTestKit.Create("inference", Options("urgency", new JsonObject { ["body"] = "text" })).CheckAsync(CancellationToken.None));
        Assert.Equal($"{url}: model 'urgency' has no input 'body' (its inputs: text BYTES [-1, 1])", badInput.Message);

        var noScores = Options("urgency", new JsonObject { ["text"] = "text" });
        noScores["labels"] = new JsonArray("low", "high");
        noScores["scores"] = "logits";
        var badScores = await Assert.ThrowsAsync<AnnotatorConfigurationException>(() => RemoteTestKit.Create("inference", noScores).CheckAsync(CancellationToken.None));
        Assert.Equal($"{url}: model 'urgency' has no output 'logits' (its outputs: probabilities FP32 [-1, 2], batch_size INT32 [-1, 1])", badScores.Message);

        var absent = new JsonObject { ["url"] = $"http://127.0.0.1:{PythonService.FreePort()}", ["model"] = "urgency", ["inputs"] = new JsonObject { ["text"] = "text" } };
        // Building it is pure (validation never calls out); only the check reaches for the server.
        var annotator = RemoteTestKit.Create("inference", absent);
        var down = await Assert.ThrowsAsync<AnnotatorConfigurationException>(() => annotator.CheckAsync(CancellationToken.None));
        Assert.StartsWith($"{absent["url"]}: the inference server is not ready: GET {absent["url"]}/v2/health/ready failed:", down.Message);
    }
}
