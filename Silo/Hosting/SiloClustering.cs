using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using StackExchange.Redis;
using Herald.Grains.Hosting;

namespace Herald.Silo.Hosting;

/// <summary>Membership, identity and document storage of a silo, from <see cref="ClusteringOptions"/> and <see cref="StorageOptions"/>.</summary>
public static class SiloClustering
{
    public static ISiloBuilder UseHeraldClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var clustering = configuration.GetSection(ClusteringOptions.Section).Get<ClusteringOptions>() ?? new ClusteringOptions();
        switch (clustering.Provider)
        {
            case ClusteringProvider.Localhost:
                var primary = clustering.PrimarySiloPort is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null;
                silo.UseLocalhostClustering(clustering.SiloPort, clustering.GatewayPort, primary, clustering.ServiceId, clustering.ClusterId);
                break;
            case ClusteringProvider.Redis:
                var redis = Required(clustering.Redis, "Herald:Clustering:Redis", "with Provider Redis");
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clustering.ClusterId, clustering.ServiceId));
                // In a pod, Kubernetes hosting sets the address and ports from the pod; elsewhere the loopback ports given.
                if (!clustering.Kubernetes) silo.ConfigureEndpoints(IPAddress.Loopback, clustering.SiloPort, clustering.GatewayPort, listenOnAnyHostAddress: false);
                break;
        }
        // Kubernetes hosting reads ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID, POD_NAME, POD_NAMESPACE and POD_IP, and
        // deletes the pods of silos the cluster has declared dead.
        if (clustering.Kubernetes) silo.UseKubernetesHosting();

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        switch (storage.Provider)
        {
            case StorageProvider.Memory:
                break; // AddHerald's bounded in-memory store
            case StorageProvider.Redis:
                var redis = Required(storage.Redis, "Herald:Storage:Redis", "with Provider Redis");
                silo.AddRedisGrainStorage(HeraldStorage.Documents, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                silo.AddRedisGrainStorage(HeraldStorage.Control, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                break;
        }
        return silo;
    }

    private static string Required(string? value, string key, string when) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"{key} (a Redis connection string) is required {when}") : value;
}
