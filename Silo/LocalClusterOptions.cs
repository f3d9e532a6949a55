namespace Herald.Silo;

/// <summary>
/// Configuration section <c>Herald:Cluster</c>: several silos on one machine (loopback). The first silo is the
/// primary; the others set <see cref="PrimarySiloPort"/> to its silo port. Kubernetes deployments use
/// Kubernetes hosting and Redis membership instead.
/// </summary>
public sealed class LocalClusterOptions
{
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public int? PrimarySiloPort { get; set; }
}
