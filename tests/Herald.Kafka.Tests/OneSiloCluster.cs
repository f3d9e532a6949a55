using Herald.Grains.Hosting;
using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;
using Orleans.TestingHost;

namespace Herald.Kafka.Tests;

/// <summary>A one-silo cluster with the rules news pipeline, reading a broker of this test process as an external cluster.</summary>
public static class OneSiloCluster
{
    public static async Task<InProcessTestCluster> StartAsync(EmbeddedKafkaBroker broker, Action<KafkaOptions> configure)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .AddHerald(o => o.PipelinesPath = RulesPipeline.Folder("news"))
            .AddHeraldKafka(["news"], o =>
            {
                o.BootstrapServers = broker.BootstrapServers;
                o.CreateTopics = false; // the mock broker does not implement CreateTopics
                configure(o);
            }));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
