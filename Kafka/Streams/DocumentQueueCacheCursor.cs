using Orleans.Streams;

namespace Herald.Kafka.Streams;

/// <summary>
/// A consumer's position in one stream of a <see cref="DocumentQueueCache"/>: resting on a cached event (which
/// keeps it cached) or waiting for the stream's next one. Follows Orleans' cursor protocol: once placed, the first
/// <see cref="MoveNext"/> yields the event the cursor rests on; the next one moves past it, which marks it delivered.
/// </summary>
internal sealed class DocumentQueueCacheCursor(DocumentQueueCache cache, StreamId streamId) : IQueueCacheCursor
{
    private CachedEvent? _at;
    private StreamSequenceToken? _waitingFor;
    private IBatchContainer? _current;

    public StreamId StreamId => streamId;

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        exception = null;
        return _current;
    }

    public QueueCacheCursorMoveResult MoveNextWithResult()
    {
        if (_at is null)
        {
            _current = null;
            return QueueCacheCursorMoveResult.NoData;
        }
        if (_current is null)
        {
            _current = _at.Batch;
            return QueueCacheCursorMoveResult.Success;
        }
        _at.Delivered = true;
        if (_at.Next is { } next)
        {
            Rest(next);
            _current = next.Batch;
            return QueueCacheCursorMoveResult.Success;
        }
        // Past the stream's last event: wait for whatever the agent refreshes the cursor with next.
        Wait(null);
        _current = null;
        return QueueCacheCursorMoveResult.NoData;
    }

    [Obsolete("Orleans calls MoveNextWithResult")]
    public bool MoveNext() => MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

    public void Refresh(StreamSequenceToken token)
    {
        if (_at is null) cache.Place(this, _waitingFor ?? token);
    }

    public void RecordDeliveryFailure()
    {
        if (_at is not null && _current is not null) _at.DeliveryFailed = true;
    }

    public void Dispose()
    {
        Wait(null);
        _current = null;
    }

    internal void Rest(CachedEvent cached)
    {
        Leave();
        _at = cached;
        cached.Cursors++;
        _waitingFor = null;
    }

    internal void Wait(StreamSequenceToken? token)
    {
        Leave();
        _waitingFor = token;
    }

    private void Leave()
    {
        if (_at is null) return;
        if (--_at.Cursors == 0 && _at.Delivered) cache.Release(_at);
        _at = null;
    }
}
