using Herald.Grains.Monitoring;

namespace Herald.Grains.Control;

/// <summary>
/// Holds document runs at paused annotators in this silo. The paused set is the cluster's (<see cref="IPipelineControlGrain"/>),
/// refreshed every second by <see cref="ControlLoop"/> and at once on the silo that changed it. A held run waits
/// without a deadline (its annotator's timeout starts when it is released), so pausing fails and loses nothing.
/// </summary>
public sealed class AnnotatorGate(PipelineMonitor monitor)
{
    private readonly Lock _lock = new();
    private ControlState _state = new(0, new HashSet<string>(), new Dictionary<string, string?>(), "");
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Version => _state.Version;

    public string Epoch => _state.Epoch;

    public bool IsPaused(string pipeline, string annotator) => _state.Paused.Contains(ControlState.PausedKey(pipeline, annotator));

    /// <summary>Takes a newer state (or any state of a new epoch); releases the runs waiting at annotators no longer paused.</summary>
    public void Apply(ControlState state)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (state.Epoch == _state.Epoch && state.Version <= _state.Version) return;
            (_state, changed, _changed) = (state, _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        changed.SetResult();
    }

    public async ValueTask WaitWhilePausedAsync(string pipeline, string annotator)
    {
        if (!IsPaused(pipeline, annotator)) return;
        monitor.AnnotatorWaiting(pipeline, annotator, +1);
        try
        {
            while (true)
            {
                Task changed;
                lock (_lock)
                {
                    if (!IsPaused(pipeline, annotator)) return;
                    changed = _changed.Task;
                }
                await changed;
            }
        }
        finally
        {
            monitor.AnnotatorWaiting(pipeline, annotator, -1);
        }
    }
}
