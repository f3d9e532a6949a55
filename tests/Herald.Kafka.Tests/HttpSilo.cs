using System.Net.Http.Headers;
using Herald.Kafka.Embedded;

namespace Herald.Kafka.Tests;

/// <summary>
/// A real silo process serving HTTP on a loopback port, with a bearer token, reading a broker of this test process
/// (the rules news pipeline under the tag <c>news</c>).
/// </summary>
public sealed class HttpSilo : IAsyncLifetime
{
    public const string Token = "test-token-7f3a";
    public const string Input = HeraldTopics.Input;
    public const string Annotations = HeraldTopics.Annotations;

    public EmbeddedKafkaBroker Broker { get; } = new();
    public SiloProcess Silo { get; private set; } = null!;
    public KafkaTestClient Kafka => new(Broker.BootstrapServers);
    public Uri BaseAddress => new($"http://127.0.0.1:{Silo.HttpPort}/");

    /// <summary>The DuckDB file the silo's warehouse sink writes.</summary>
    public string Warehouse { get; } = Path.Combine(Directory.CreateTempSubdirectory("herald-http-warehouse-").FullName, "herald.duckdb");

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client sending the silo's bearer token.</summary>
    public HttpClient Operator()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    public async Task InitializeAsync()
    {
        Broker.WithHeraldTopics(4);
        Silo = SiloProcess.Start("http", Broker.BootstrapServers, primary: null, new Dictionary<string, string>
        {
            ["Herald__Http__ApiToken"] = Token,
            ["Herald__Http__AnnotateConcurrency"] = "2", // so the limit can be reached by a test
            ["Herald__Kafka__Pipelines__news__StartFrom"] = "Earliest",
            // The silo keeps a warehouse of its central topic, which GET /api/query reads.
            ["Herald__Warehouse__Enabled"] = "true",
            ["Herald__Warehouse__Database"] = Warehouse,
            ["Herald__Warehouse__BatchWaitMs"] = "200",
        });
        await Silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        Silo.Dispose();
        await Broker.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class HttpSiloCollection : ICollectionFixture<HttpSilo>
{
    public const string Name = "http silo";
}
