using Herald.Grains.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Tests.Engine;

public sealed class SharedDeadlinesTests
{
    // A whole second: every 50 ms slot boundary falls on a round number of milliseconds from here.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Deadlines_in_one_slot_share_a_token_that_fires_after_the_later_of_them_and_at_most_one_slot_late()
    {
        var deadlines = new SharedDeadlines(_time);
        var first = deadlines.After(TimeSpan.FromMilliseconds(200)); // due at 200 ms
        _time.Advance(TimeSpan.FromMilliseconds(10));
        var second = deadlines.After(TimeSpan.FromMilliseconds(200)); // due at 210 ms, the same slot
        var later = deadlines.After(TimeSpan.FromSeconds(1));

        Assert.Equal(first, second);
        Assert.NotEqual(first, later);
        _time.Advance(TimeSpan.FromMilliseconds(200)); // 210 ms: both are due, the slot ends at 250
        Assert.False(first.IsCancellationRequested, "a shared deadline fires at the end of its slot, not before");
        _time.Advance(TimeSpan.FromMilliseconds(40)); // 250 ms
        Assert.True(first.IsCancellationRequested, "a deadline fires at most one slot late");
        Assert.False(later.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(later.IsCancellationRequested);
    }

    [Fact]
    public void A_deadline_taken_after_a_slot_fired_gets_a_token_of_its_own()
    {
        var deadlines = new SharedDeadlines(_time);
        var fired = deadlines.After(TimeSpan.FromMilliseconds(20));
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(fired.IsCancellationRequested);

        var next = deadlines.After(TimeSpan.FromMilliseconds(20));
        Assert.False(next.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(next.IsCancellationRequested);
    }

    [Fact]
    public void A_zero_timeout_fires_at_the_end_of_the_current_slot()
    {
        var deadlines = new SharedDeadlines(_time);
        var now = deadlines.After(TimeSpan.Zero);
        Assert.False(now.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(now.IsCancellationRequested);
    }
}
