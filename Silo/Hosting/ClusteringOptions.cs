namespace Herald.Silo.Hosting;

/// <summary>How silos find each other: section <c>Herald:Clustering</c>.</summary>
public sealed class ClusteringOptions
{
    public const string Section = "Herald:Clustering";

    /// <summary><c>Localhost</c> (the default: silos on one machine, the first one primary) or <c>Redis</c>.</summary>
    public ClusteringProvider Provider { get; set; } = ClusteringProvider.Localhost;

    /// <summary>The Redis connection string (StackExchange.Redis format) of the membership table.</summary>
    public string? Redis { get; set; }

    /// <summary>Running in a Kubernetes pod: <c>UseKubernetesHosting()</c> takes names, addresses and ids from the pod.</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "herald";

    /// <summary>Stable across deployments of the same service: grain state is keyed by it.</summary>
    public string ServiceId { get; set; } = "herald";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>With <c>Localhost</c>: the first silo's port, for every other silo on the machine.</summary>
    public int? PrimarySiloPort { get; set; }
}

/// <summary>Where grain state that must outlive a silo is kept: section <c>Herald:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Herald:Storage";

    /// <summary><c>Memory</c> (the default: bounded, lost with its silo) or <c>Redis</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Memory;

    public string? Redis { get; set; }
}

public enum ClusteringProvider
{
    Localhost,
    Redis,
}

public enum StorageProvider
{
    Memory,
    Redis,
}
