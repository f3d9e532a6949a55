using Herald.Grains.Pipelines;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Ingestion;

/// <summary>
/// Runs a <see cref="PipelineConsumer"/> on this silo for every deployed pipeline, from when the silo is active until it
/// stops: a pipeline deployed at run time starts reading its input within a second, on every silo; a retired one stops
/// reading (its group's offsets stay committed). On shutdown, every reader drains, commits and leaves its group before
/// the silo stops taking grain calls.
/// </summary>
internal sealed class IngestionService(KafkaConnection connection, IDeployedPipelines pipelines, DocumentDispatcher dispatcher, KafkaInputLag lag,
    ILoggerFactory loggers, ILogger<IngestionService> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan ReconcilePeriod = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, PipelineConsumer> _readers = [];
    private readonly List<Task> _stopping = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(IngestionService), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellation)
    {
        // Waits for the cluster (up to Herald:Kafka:ConnectTimeout) and fails the silo with the reason: off the scheduler.
        await Task.Factory.StartNew(connection.EnsureTopics, cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Reconcile();
        _loop = Task.Run(ReconcileLoopAsync, CancellationToken.None);
    }

    private async Task ReconcileLoopAsync()
    {
        using var timer = new PeriodicTimer(ReconcilePeriod, connection.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) Reconcile();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Readers for the deployed tags, none for the others.</summary>
    private void Reconcile()
    {
        try
        {
            var deployed = pipelines.Current.Select(p => p.Tag).ToHashSet(StringComparer.Ordinal);
            foreach (var (tag, dead) in _readers.Where(r => r.Value.Stopped).ToList())
            {
                logger.LogError("The input reader of pipeline {Tag} stopped unexpectedly: starting a new one", tag);
                _stopping.Add(dead.DisposeAsync().AsTask());
                _readers.Remove(tag);
            }
            foreach (var tag in deployed.Where(t => !_readers.ContainsKey(t)))
            {
                var reader = new PipelineConsumer(tag, connection, pipelines, dispatcher, lag, loggers.CreateLogger<PipelineConsumer>());
                reader.Start();
                _readers[tag] = reader;
                logger.LogInformation("Pipeline {Tag} joins consumer group {Group} on {Topic}", tag, reader.Group, connection.Options.InputTopic);
            }
            foreach (var tag in _readers.Keys.Where(t => !deployed.Contains(t)).ToList())
            {
                logger.LogInformation("Pipeline {Tag} was retired: its reader drains, commits and leaves its group", tag);
                _stopping.Add(_readers[tag].DisposeAsync().AsTask());
                _readers.Remove(tag);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not start or stop the pipelines' input readers; trying again");
        }
    }

    private async Task StopAsync(CancellationToken cancellation)
    {
        _stop.Cancel();
        await _loop;
        // All at once: each drains its partitions (up to Herald:Kafka:DrainTimeout) and hands them over.
        await Task.WhenAll(_readers.Values.Select(r => r.DisposeAsync().AsTask()).Concat(_stopping));
        _readers.Clear();
    }
}
