using Herald.Contracts;
using Herald.Annotators;
using Herald.Grains.Hosting;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>
/// A Herald silo on its own embedded broker, started once and measured for many rounds, as a running cluster is:
/// input topic -> a no-op DAG -> central topic (<see cref="RoundTraffic"/>).
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly RoundTraffic _traffic;
    private readonly IHost _host;
    private readonly string _pipelines;
    private readonly EmissionMode _mode;

    private BenchSilo(RoundTraffic traffic, IHost host, string pipelines, EmissionMode mode) =>
        (_traffic, _host, _pipelines, _mode) = (traffic, host, pipelines, mode);

    public string Name => $"Herald, emit {_mode.ToString().ToLowerInvariant()}";

    public static async Task<BenchSilo> StartAsync(EmissionMode mode, NoopDag dag)
    {
        var traffic = new RoundTraffic();
        var pipelines = Directory.CreateTempSubdirectory("herald-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(pipelines, "bench.yaml"), dag.Yaml());

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<AnnotatorKind>(NoopAnnotator.Kind);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: $"bench-{mode}", clusterId: $"bench-{mode}")
            .AddHerald(o => o.PipelinesPath = pipelines).AddHeraldKinds(Herald.Annotators.Onnx.ModelKinds.All)
            .AddHeraldKafka(o =>
            {
                o.BootstrapServers = traffic.Broker.BootstrapServers;
                o.Emit = mode;
            }));
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(traffic, host, pipelines, mode);
    }

    /// <summary>Produces <paramref name="documents"/> new documents at once and waits for all their completions.</summary>
    public async Task<EndToEndResult> RunAsync(int documents)
    {
        var (elapsed, latencies, bytesProduced, used) = await _traffic.RunAsync(documents);
        // Herald reads each input message once per pipeline and never reads the central topic back.
        return EndToEndResult.From(Name, documents, elapsed, latencies, bytesProduced, used);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _traffic.DisposeAsync();
        Directory.Delete(_pipelines, recursive: true);
    }

    // Two silos run side by side in this process: each needs its own ports.
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
