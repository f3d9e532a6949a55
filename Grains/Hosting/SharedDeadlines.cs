using System.Collections.Concurrent;

namespace Herald.Grains.Hosting;

/// <summary>
/// Cancellation tokens that fire once a timeout has passed, shared by every deadline that falls in the same
/// 50 ms slot: one timer per slot instead of one per call. Every annotator call is guarded on both sides (the
/// caller stops waiting, the annotator stops working), so a document made ten timers, each a trip through the
/// runtime's timer queue lock. A deadline fires up to one slot late. Holders only register on and test the
/// token (never dispose it): its source is shared.
/// </summary>
internal sealed class SharedDeadlines(TimeProvider time)
{
    private static readonly long SlotTicks = TimeSpan.FromMilliseconds(50).Ticks;

    private readonly ConcurrentDictionary<long, CancellationTokenSource> _slots = new();

    public CancellationToken After(TimeSpan timeout)
    {
        var now = time.GetUtcNow().UtcTicks;
        var slot = (now + timeout.Ticks) / SlotTicks + 1; // fires at the end of the slot the deadline falls in
        while (true)
        {
            if (_slots.TryGetValue(slot, out var shared)) return shared.Token;
            var created = new CancellationTokenSource(TimeSpan.FromTicks(Math.Max(0, slot * SlotTicks - now)), time);
            if (_slots.TryAdd(slot, created))
            {
                // Fired slots leave; no new deadline can fall in a slot that has already ended.
                created.Token.UnsafeRegister(static state =>
                {
                    var (slots, slot, source) = ((ConcurrentDictionary<long, CancellationTokenSource>, long, CancellationTokenSource))state!;
                    slots.TryRemove(new KeyValuePair<long, CancellationTokenSource>(slot, source));
                }, (_slots, slot, created));
                return created.Token;
            }
            created.Dispose();
        }
    }
}
