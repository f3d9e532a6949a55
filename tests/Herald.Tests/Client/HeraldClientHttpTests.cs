using System.Net.Sockets;
using Herald.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Tests.Client;

/// <summary>
/// The SDK's HTTP behaviour against a real server on 127.0.0.1 that answers as told: retries, problems, unreachable
/// silos, and options checked at host start.
/// </summary>
public sealed class HeraldClientHttpTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private readonly List<string> _requests = [];
    private int _failuresLeft;

    private Uri Url => new(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Use(async (context, next) =>
        {
            lock (_requests) _requests.Add($"{context.Request.Method} {context.Request.Path} {context.Request.Headers.Authorization}");
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                context.Response.StatusCode = 503;
                return;
            }
            await next(context);
        });
        _server.MapGet("/api/status", () => Results.Text(
            """{"at": "2026-12-06T10:00:00Z", "silos": 2, "pipelines": [{"tag": "news", "version": "v1", "throughput": 12.5, "completed": 100, "inFlight": 3, "p50Ms": 4, "p99Ms": 9, "bottleneck": "embedding", "annotators": [{"name": "embedding", "version": "1.0.0", "requires": [], "throughput": 12.5, "p50Ms": 3, "p99Ms": 8, "running": 2, "waiting": 1, "done": 100, "errors": 0, "skipped": 0, "paused": false, "circuit": null}]}], "partitions": [{"pipeline": "news", "topic": "herald.documents", "partition": 0, "position": 10, "end": 14, "lag": 4}]}""",
            "application/json"));
        _server.MapPut("/api/pipelines/{tag}", (string tag) => Results.Problem(statusCode: 422, title: "invalid pipeline", detail: $"the definition of pipeline '{tag}' has 2 problem(s); nothing was deployed",
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { "news.yaml:3:5: unknown kind 'onnx-clasifier'", "news.yaml:9:7: 'signal' requires 'typ', which is not in the pipeline" } }));
        _server.MapGet("/api/documents/{pipeline}/{id}", () => Results.Problem(statusCode: 404, detail: "document 'x' is not known"));
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HeraldClient Client(int retries = 3) => HeraldClient.Create(new HeraldClientOptions { Url = Url, ApiToken = "secret", Retries = retries, RetryDelay = TimeSpan.FromMilliseconds(10) });

    [Fact]
    public async Task A_safe_request_is_retried_after_transient_failures_and_read_as_typed_status()
    {
        _failuresLeft = 2;
        using var client = Client();

        var status = await client.GetStatusAsync();

        Assert.Equal(3, _requests.Count);
        Assert.All(_requests, r => Assert.Equal("GET /api/status Bearer secret", r));
        var pipeline = Assert.Single(status.Pipelines);
        Assert.Equal(("news", 12.5, 3L, "embedding"), (pipeline.Tag, pipeline.Throughput, pipeline.InFlight, pipeline.Bottleneck));
        Assert.Equal(2, Assert.Single(pipeline.Annotators).Running);
        Assert.Equal(4, Assert.Single(status.Partitions).Lag);
    }

    [Fact]
    public async Task A_change_is_never_retried()
    {
        _failuresLeft = 1;
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeraldApiException>(() => client.DeployPipelineAsync("news", "pipeline: news"));

        Assert.Equal(503, error.Status);
        Assert.Equal(["PUT /api/pipelines/news Bearer secret"], _requests);
    }

    [Fact]
    public async Task A_rejected_pipeline_carries_every_problem()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeraldApiException>(() => client.DeployPipelineAsync("news", "pipeline: news"));

        Assert.Equal(422, error.Status);
        Assert.Equal("the definition of pipeline 'news' has 2 problem(s); nothing was deployed", error.Detail);
        Assert.Equal(["news.yaml:3:5: unknown kind 'onnx-clasifier'", "news.yaml:9:7: 'signal' requires 'typ', which is not in the pipeline"], error.Errors);
    }

    [Fact]
    public async Task An_unknown_document_is_null()
    {
        using var client = Client();

        Assert.Null(await client.GetDocumentAsync("news", "x"));
    }

    [Fact]
    public async Task An_unreachable_silo_is_named_after_the_retries()
    {
        var port = FreePort();
        using var client = HeraldClient.Create(new HeraldClientOptions { Url = new Uri($"http://127.0.0.1:{port}/"), Retries = 1, RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<HeraldUnreachableException>(() => client.GetPipelinesAsync());

        Assert.Contains($"no Herald silo answers at http://127.0.0.1:{port}/", error.Message);
    }

    [Fact]
    public async Task Cancellation_stops_a_call_at_once()
    {
        using var client = Client();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetStatusAsync(cancelled.Token));
    }

    [Fact]
    public async Task Invalid_options_fail_the_host_at_start_naming_every_problem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHeraldClient(o =>
        {
            o.Url = new Uri("ftp://herald/");
            o.KafkaBootstrapServers = " ";
            o.Timeout = TimeSpan.Zero;
            o.Retries = 11;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            ["Url must be an absolute http or https address (was 'ftp://herald/')", "KafkaBootstrapServers must name at least one broker (host:port)",
                "Timeout must be between 10 ms and a day (was 00:00:00)", "Retries must be between 0 and 10 (was 11)"],
            error.Failures);
    }

    [Fact]
    public void Options_bind_from_configuration()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Herald:Client:Url"] = "http://herald.example:8080/";
        builder.Configuration["Herald:Client:KafkaBootstrapServers"] = "kafka-0:9092,kafka-1:9092";
        builder.Configuration["Herald:Client:Kafka:security.protocol"] = "SASL_SSL";
        builder.Services.AddHeraldClient(builder.Configuration.GetSection(HeraldClientOptions.Section));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<HeraldClientOptions>>().Value;

        Assert.Equal(("http://herald.example:8080/", "kafka-0:9092,kafka-1:9092", "SASL_SSL"), (options.Url.ToString(), options.KafkaBootstrapServers, options.Kafka["security.protocol"]));
        Assert.NotNull(host.Services.GetRequiredService<HeraldClient>());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
