namespace Herald.Grains.Ingestion;

/// <summary>
/// The commit position of one input partition for one consumer group. Documents finish out of order, so the
/// position that is safe to commit is the contiguous low-water mark: the first offset received but not yet
/// completed (or one past the highest received when all are complete).
/// </summary>
public static class InputCheckpoint
{
    public const long NeedsReset = -1;
}

[Alias("herald.input-checkpoint")]
public interface IInputCheckpointGrain : IGrainWithStringKey
{
    /// <summary>A reader (re)starts at <paramref name="nextOffset"/>: forget what an earlier reader had in flight.</summary>
    [Alias("reset")]
    Task ResetAsync(long nextOffset);

    /// <summary>
    /// Offsets read since the last call, in order: <paramref name="inFlight"/> went to document grains,
    /// <paramref name="settled"/> needed no processing (dead-lettered). Returns the offset that is safe to commit now,
    /// or <see cref="InputCheckpoint.NeedsReset"/> when this checkpoint no longer knows what is in flight (it was lost
    /// with its silo): the reader must then go back to its last committed offset and reset it.
    /// </summary>
    [Alias("received")]
    Task<long> ReceivedAsync(long[] inFlight, long[] settled);

    /// <summary>A document's results are durably published.</summary>
    [Alias("completed")]
    Task CompletedAsync(long offset);
}
