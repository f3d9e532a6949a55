namespace Herald.Kafka.Ingestion;

/// <summary>
/// Offsets of one partition between "received" and "completed". Documents complete in any order; the offset
/// safe to commit is the lowest one still in flight, or one past the highest received when none is.
/// Offsets may have gaps (compaction, transaction markers): only received offsets count.
/// </summary>
internal sealed class OffsetWindow
{
    private readonly SortedSet<long> _inFlight = [];
    private long _next;

    public OffsetWindow(long start) => Reset(start);

    public int InFlight => _inFlight.Count;

    /// <summary>The offset to commit: the next one a restarted reader must read.</summary>
    public long CommitOffset => _inFlight.Count > 0 ? _inFlight.Min : _next;

    public void Reset(long start)
    {
        _inFlight.Clear();
        _next = start;
    }

    public void Received(long offset)
    {
        if (offset < _next) return; // redelivered below the window: its completion is already accounted for
        _inFlight.Add(offset);
        _next = offset + 1;
    }

    public void Completed(long offset) => _inFlight.Remove(offset);
}
