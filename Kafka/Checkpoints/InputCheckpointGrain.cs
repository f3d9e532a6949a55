using Herald.Grains.Ingestion;

namespace Herald.Kafka.Checkpoints;

/// <summary>
/// The low-water mark of one input partition for one consumer group (key: group/topic/partition). In memory:
/// when it is lost with its silo, a new activation knows nothing of what was in flight, so it answers
/// <see cref="InputCheckpoint.NeedsReset"/> until a reader resets it; the reader then re-reads from its last
/// committed offset. Documents may run twice; none is skipped.
/// </summary>
public sealed class InputCheckpointGrain : Grain, IInputCheckpointGrain
{
    private readonly OffsetWindow _window = new(0);
    private bool _reset;

    public Task ResetAsync(long nextOffset)
    {
        _window.Reset(nextOffset);
        _reset = true;
        return Task.CompletedTask;
    }

    public Task<long> ReceivedAsync(long[] inFlight, long[] settled)
    {
        if (!_reset) return Task.FromResult(InputCheckpoint.NeedsReset);
        foreach (var offset in inFlight) _window.Received(offset);
        _window.Settled(settled);
        return Task.FromResult(_window.CommitOffset);
    }

    public Task CompletedAsync(long offset)
    {
        _window.Completed(offset);
        return Task.CompletedTask;
    }
}
