using Herald.Grains.Hosting;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Herald.Kafka.Tests;

/// <summary>A one-silo cluster with the rules news pipeline, reading a Kafka cluster (a broker of this test process) as an external one.</summary>
public static class OneSiloCluster
{
    public static async Task<InProcessTestCluster> StartAsync(string bootstrapServers, Action<KafkaOptions> configure, Action<IServiceCollection>? services = null)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .ConfigureServices(s => services?.Invoke(s))
            .AddHerald(o => o.PipelinesPath = RulesPipeline.Folder("news"))
            .AddHeraldKafka(o =>
            {
                o.BootstrapServers = bootstrapServers;
                o.SessionTimeout = TimeSpan.FromSeconds(3); // a silo that dies unannounced loses its partitions this fast
                configure(o);
            }));
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }
}
