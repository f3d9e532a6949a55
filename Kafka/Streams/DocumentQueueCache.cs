using Orleans.Streams;

namespace Herald.Kafka.Streams;

/// <summary>
/// The pulling agent's cache for one input partition, indexed by stream. Every Herald stream is one document,
/// usually with a single event, so Orleans' <c>SimpleQueueCache</c>, whose cursors walk past every other
/// stream's messages, costs O(cache size) per document; here placing and moving a cursor is O(1).
/// <para>
/// A cursor rests on the event being delivered, and a document's delivery lasts its whole run, so the cache
/// holds the documents in flight: reading stops while <paramref name="capacity"/> are. An event leaves once its
/// cursor has moved past it, whatever is older, so one slow document does not hold back the partition's reading;
/// events no cursor ever reached (a stream without consumers) leave oldest first, as in Orleans' own caches.
/// </para>
/// The pulling agent calls the cache and its cursors from its own single-threaded context: no locking.
/// </summary>
public sealed class DocumentQueueCache(int capacity, int maxReadCount) : IQueueCache
{
    private readonly LinkedList<CachedEvent> _arrivals = new();
    private readonly Dictionary<StreamId, CachedEvent> _firstOfStream = [];
    private readonly List<CachedEvent> _released = [];
    private StreamSequenceToken? _newest;

    /// <summary>Events cached: documents read and not yet delivered.</summary>
    public int Count => _arrivals.Count;

    /// <summary>How many messages the agent may read next; never zero, or the agent would stop calling the purge that frees space.</summary>
    public int GetMaxAddCount() => Math.Clamp(capacity - _arrivals.Count, 1, maxReadCount);

    public bool IsUnderPressure() => _arrivals.Count >= capacity;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        foreach (var batch in messages)
        {
            var cached = new CachedEvent(batch);
            cached.Node = _arrivals.AddLast(cached);
            if (_firstOfStream.TryGetValue(batch.StreamId, out var first))
            {
                var last = first;
                while (last.Next is not null) last = last.Next;
                (last.Next, cached.Previous) = (cached, last);
            }
            else
            {
                _firstOfStream[batch.StreamId] = cached;
            }
            _newest = cached.Token;
        }
    }

    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        // Called before every read: allocate only when something leaves.
        List<IBatchContainer>? purged = null;
        foreach (var cached in _released)
            if (cached.Node is not null && cached.Cursors == 0) Remove(cached, purged ??= []);
        _released.Clear();
        while (_arrivals.First?.Value is { Cursors: 0 } oldest) Remove(oldest, purged ??= []);
        purgedItems = purged ?? [];
        return purged is { Count: > 0 };
    }

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        token ??= _newest;
        var at = FirstAtOrAfter(streamId, token);
        // A miss means the stream's event asked for is gone. Events leave as soon as they are delivered, so the oldest
        // one cached says nothing about a stream whose event is still here (a partition re-read after a checkpoint
        // reset brings back offsets older than it): only a stream with nothing cached at or after the token can miss.
        if (at is null && token is not null && _arrivals.First?.Value is { } oldest && token.Older(oldest.Token))
            return QueueCacheCursorResult<IQueueCacheCursor>.FromCacheMiss(new QueueCacheMissInfo(token, oldest.Token, _newest!));
        var cursor = new DocumentQueueCacheCursor(this, streamId);
        if (at is null) cursor.Wait(token);
        else cursor.Rest(at);
        return QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(cursor);
    }

    [Obsolete("Orleans calls TryGetCacheCursor")]
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) =>
        TryGetCacheCursor(streamId, token) is { Kind: QueueCacheCursorResultKind.Success } result
            ? result.Cursor!
            : throw new QueueCacheMissException(token!, _arrivals.First!.Value.Token, _newest!);

    /// <summary>
    /// Rests the cursor on its stream's first cached event at or after <paramref name="token"/> (no token: whatever
    /// comes next), or leaves it waiting there for events still to come.
    /// </summary>
    internal void Place(DocumentQueueCacheCursor cursor, StreamSequenceToken? token)
    {
        if (FirstAtOrAfter(cursor.StreamId, token) is { } at) cursor.Rest(at);
        else cursor.Wait(token);
    }

    private CachedEvent? FirstAtOrAfter(StreamId streamId, StreamSequenceToken? token)
    {
        if (token is null) return null;
        for (var cached = _firstOfStream.GetValueOrDefault(streamId); cached is not null; cached = cached.Next)
            if (!cached.Token.Older(token)) return cached;
        return null;
    }

    /// <summary>The last cursor left <paramref name="cached"/> after delivering it: it goes on the next purge.</summary>
    internal void Release(CachedEvent cached) => _released.Add(cached);

    private void Remove(CachedEvent cached, List<IBatchContainer> purged)
    {
        _arrivals.Remove(cached.Node!);
        cached.Node = null;
        if (cached.Previous is { } previous) previous.Next = cached.Next;
        else if (cached.Next is null) _firstOfStream.Remove(cached.Batch.StreamId);
        else _firstOfStream[cached.Batch.StreamId] = cached.Next;
        if (cached.Next is { } next) next.Previous = cached.Previous;
        if (!cached.DeliveryFailed) purged.Add(cached.Batch);
    }
}

/// <summary>One cached message: its neighbours in its stream, its place in arrival order and the cursors resting on it.</summary>
internal sealed class CachedEvent(IBatchContainer batch)
{
    public IBatchContainer Batch { get; } = batch;
    public StreamSequenceToken Token { get; } = batch.SequenceToken;
    public CachedEvent? Previous { get; set; }
    public CachedEvent? Next { get; set; }
    public LinkedListNode<CachedEvent>? Node { get; set; }
    public int Cursors { get; set; }
    public bool Delivered { get; set; }
    public bool DeliveryFailed { get; set; }
}

/// <summary>Gives each queue (input partition) its own <see cref="DocumentQueueCache"/>.</summary>
internal sealed class DocumentQueueAdapterCache(int capacity, int maxReadCount) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new DocumentQueueCache(capacity, maxReadCount);
}
