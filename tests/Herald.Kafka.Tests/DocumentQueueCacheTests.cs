using Herald.Kafka.Streams;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Herald.Kafka.Tests;

/// <summary>
/// The pulling agent's per-partition cache, driven the way Orleans' agent drives it: a pin cursor while a new
/// stream registers, a consumer cursor that rests on the event being delivered, purges before each read.
/// </summary>
public sealed class DocumentQueueCacheTests
{
    private static readonly StreamId A = StreamId.Create("documents", "a");
    private static readonly StreamId B = StreamId.Create("documents", "b");
    private static readonly StreamId C = StreamId.Create("documents", "c");

    [Fact]
    public void A_cursor_yields_only_its_own_streams_events_in_order()
    {
        var cache = new DocumentQueueCache(capacity: 16, maxReadCount: 4);
        cache.AddToCache([Event(A, 0), Event(B, 1), Event(A, 2), Event(C, 3)]);

        var cursor = Cursor(cache, A, new EventSequenceTokenV2(0));

        Assert.Equal([0, 2], Drain(cursor));
    }

    [Fact]
    public void An_event_stays_while_its_delivery_runs_and_a_slow_document_does_not_hold_back_finished_ones()
    {
        var cache = new DocumentQueueCache(capacity: 16, maxReadCount: 4);
        cache.AddToCache([Event(A, 0), Event(B, 1), Event(C, 2)]);
        var slow = Cursor(cache, A, new EventSequenceTokenV2(0));
        var fast = Cursor(cache, B, new EventSequenceTokenV2(1));
        Assert.True(Moved(slow)); // A is being delivered
        Assert.Equal([1], Drain(fast)); // B delivered: its cursor moved past it

        Assert.True(cache.TryPurgeFromCache(out var purged));

        Assert.Equal([1], Offsets(purged)); // A stays (its cursor rests on it); so does C, which no cursor has reached yet
        Assert.Equal(2, cache.Count);
        Assert.Equal([0], Offsets([slow.GetCurrent(out _)!]));
    }

    [Fact]
    public void Events_no_cursor_ever_reaches_leave_oldest_first_once_nothing_older_is_in_delivery()
    {
        var cache = new DocumentQueueCache(capacity: 16, maxReadCount: 4);
        cache.AddToCache([Event(A, 0), Event(B, 1), Event(C, 2)]);
        var cursor = Cursor(cache, B, new EventSequenceTokenV2(1));
        Assert.True(Moved(cursor));

        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([0], Offsets(purged)); // A had no consumer; C is newer than B, still in delivery

        Assert.False(Moved(cursor));
        Assert.True(cache.TryPurgeFromCache(out purged));
        Assert.Equal([1, 2], Offsets(purged));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_registering_streams_pin_keeps_its_first_event_until_the_consumer_has_delivered_it()
    {
        var cache = new DocumentQueueCache(capacity: 16, maxReadCount: 4);
        cache.AddToCache([Event(A, 0)]);
        var pin = Cursor(cache, A, new EventSequenceTokenV2(0));
        var consumer = Cursor(cache, A, new EventSequenceTokenV2(0));
        Assert.Equal([0], Drain(consumer));

        Assert.False(cache.TryPurgeFromCache(out _)); // delivered, but the pin still rests on it
        pin.Dispose();
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([0], Offsets(purged));
    }

    [Fact]
    public void A_waiting_cursor_is_placed_on_its_streams_next_event_by_a_refresh()
    {
        var cache = new DocumentQueueCache(capacity: 16, maxReadCount: 4);
        cache.AddToCache([Event(A, 0)]);
        var cursor = Cursor(cache, A, new EventSequenceTokenV2(0));
        Assert.Equal([0], Drain(cursor));

        cache.AddToCache([Event(B, 1), Event(A, 2)]);
        cursor.Refresh(new EventSequenceTokenV2(2));

        Assert.Equal([2], Drain(cursor));
    }

    [Fact]
    public void A_token_older_than_everything_cached_is_a_cache_miss_for_a_stream_with_nothing_cached_after_it()
    {
        var cache = new DocumentQueueCache(capacity: 16, maxReadCount: 4);
        cache.AddToCache([Event(A, 10), Event(B, 11)]);

        Assert.Equal([10], Drain(Cursor(cache, A, new EventSequenceTokenV2(5))));
        var miss = cache.TryGetCacheCursor(C, new EventSequenceTokenV2(5));
        Assert.Equal(QueueCacheCursorResultKind.CacheMiss, miss.Kind);
        Assert.Equal(10, miss.CacheMiss!.Value.LowToken!.SequenceNumber);
        // No token: from the newest message cached on.
        Assert.Empty(Drain(Cursor(cache, A, null)));
        Assert.Equal([11], Drain(Cursor(cache, B, null)));
    }

    [Fact]
    public void A_partition_re_read_from_an_older_offset_is_no_miss_for_the_streams_it_brings_back()
    {
        var cache = new DocumentQueueCache(capacity: 16, maxReadCount: 4);
        cache.AddToCache([Event(A, 10), Event(B, 11)]);
        var slow = Cursor(cache, B, new EventSequenceTokenV2(11));
        Assert.True(Moved(slow)); // B in delivery
        Assert.Equal([10], Drain(Cursor(cache, A, new EventSequenceTokenV2(10))));
        cache.TryPurgeFromCache(out _); // A delivered and gone: B (offset 11) is now the oldest cached

        // The checkpoint was lost: the reader seeks back to the last commit and reads offset 10 again.
        cache.AddToCache([Event(A, 10)]);

        Assert.Equal([10], Drain(Cursor(cache, A, new EventSequenceTokenV2(10))));
    }

    [Fact]
    public void Reading_pauses_at_capacity_but_the_agent_is_always_allowed_the_read_that_purges()
    {
        var cache = new DocumentQueueCache(capacity: 4, maxReadCount: 3);
        Assert.Equal(3, cache.GetMaxAddCount());
        cache.AddToCache([Event(A, 0), Event(B, 1), Event(C, 2), Event(StreamId.Create("documents", "d"), 3)]);
        var cursors = new[] { A, B, C }.Select((stream, offset) => Cursor(cache, stream, new EventSequenceTokenV2(offset))).ToList();
        foreach (var cursor in cursors) Assert.True(Moved(cursor));

        Assert.True(cache.IsUnderPressure());
        Assert.Equal(1, cache.GetMaxAddCount());

        Assert.False(Moved(cursors[1])); // B finished
        cache.TryPurgeFromCache(out _);
        Assert.False(cache.IsUnderPressure());
    }

    [Fact]
    public void An_event_whose_delivery_failed_is_dropped_without_being_reported_delivered()
    {
        var cache = new DocumentQueueCache(capacity: 16, maxReadCount: 4);
        cache.AddToCache([Event(A, 0), Event(B, 1)]);
        var failing = Cursor(cache, A, new EventSequenceTokenV2(0));
        Assert.True(Moved(failing));
        failing.RecordDeliveryFailure();
        Assert.False(Moved(failing)); // the agent gave up on it and moved on
        Assert.Equal([1], Drain(Cursor(cache, B, new EventSequenceTokenV2(1))));

        Assert.True(cache.TryPurgeFromCache(out var purged));

        Assert.Equal([1], Offsets(purged));
        Assert.Equal(0, cache.Count);
    }

    private static IQueueCacheCursor Cursor(DocumentQueueCache cache, StreamId stream, StreamSequenceToken? token) =>
        cache.TryGetCacheCursor(stream, token).Cursor!;

    private static bool Moved(IQueueCacheCursor cursor) => cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

    private static TestBatch Event(StreamId stream, long offset) => new(stream, new EventSequenceTokenV2(offset));

    private static List<long> Drain(IQueueCacheCursor cursor)
    {
        var offsets = new List<long>();
        while (Moved(cursor)) offsets.Add(cursor.GetCurrent(out _)!.SequenceToken.SequenceNumber);
        return offsets;
    }

    private static List<long> Offsets(IEnumerable<IBatchContainer> batches) => [.. batches.Select(b => b.SequenceToken.SequenceNumber)];

    private sealed class TestBatch(StreamId stream, StreamSequenceToken token) : IBatchContainer
    {
        public StreamId StreamId => stream;
        public StreamSequenceToken SequenceToken => token;
        public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() => [];
        public bool ImportRequestContext() => false;
    }
}
