using Herald.Grains.Monitoring;
using Herald.Grains.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Grains.Control;

/// <summary>
/// Once a second: takes the cluster's run-time changes (deployed and retired pipelines, paused annotators) from the
/// control grain into this silo, then has the status reporter report, so each report says which change version this
/// silo applied (what a deploy waits for).
/// </summary>
internal sealed class ControlLoop(
    IGrainFactory grains, PipelineDeployer deployer, AnnotatorGate gate, StatusReporter reporter, TimeProvider time, ILogger<ControlLoop> logger)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                var control = await grains.GetGrain<IPipelineControlGrain>(IPipelineControlGrain.Key).GetAsync();
                deployer.Apply(control);
                gate.Apply(control);
                await reporter.ReportAsync();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The cluster may be starting or changing; the next tick tries again.
                logger.LogDebug(e, "Could not exchange changes and status with the cluster");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
