using Herald.Grains.Pipelines;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.Silo.Health;

/// <summary>
/// Liveness from Orleans' own health checks: the membership manager, agent and cluster health monitor report whether
/// this silo's runtime is working (a stalled or wedged silo fails them, and Kubernetes restarts it).
/// </summary>
public sealed class OrleansRuntimeHealthCheck(IEnumerable<IHealthCheckParticipant> participants) : IHealthCheck
{
    private DateTime _lastCheck = DateTime.UtcNow;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = _lastCheck;
        _lastCheck = DateTime.UtcNow;
        var problems = new List<string>();
        foreach (var participant in participants)
            if (!participant.CheckHealth(since, out var reason)) problems.Add(reason);
        return Task.FromResult(problems.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", problems)));
    }
}

/// <summary>
/// Readiness: this silo is an active member of the cluster, so it can take work (its pipelines folder was loaded before it
/// became active). Having no pipeline deployed is not unready: the silo must stay in its Service to take the next deploy.
/// </summary>
public sealed class SiloReadyHealthCheck(ISiloStatusOracle status, PipelineRegistry pipelines) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.CurrentStatus != SiloStatus.Active
            ? HealthCheckResult.Unhealthy($"silo is {status.CurrentStatus}, not Active")
            : HealthCheckResult.Healthy(pipelines.Current.Count == 0 ? "active, no pipeline deployed" : $"active with pipelines {string.Join(", ", pipelines.Current.Select(p => p.Tag))}"));
}
