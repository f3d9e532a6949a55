using Herald.Grains.Ingestion;

namespace Herald.Kafka.Checkpoints;

/// <summary>
/// The low-water mark of one input partition for one consumer group (key: group/topic/partition). In memory:
/// if it is lost with its silo, the partition's reader restarts from the last committed offset, re-reading at
/// most what was in flight.
/// </summary>
public sealed class InputCheckpointGrain : Grain, IInputCheckpointGrain
{
    private readonly OffsetWindow _window = new(0);

    public Task ResetAsync(long nextOffset)
    {
        _window.Reset(nextOffset);
        return Task.CompletedTask;
    }

    public Task<long> ReceivedAsync(long[] inFlight, long[] settled)
    {
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
