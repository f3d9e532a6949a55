using Herald.Kafka.Ingestion;

namespace Herald.Kafka.Tests;

public sealed class OffsetWindowTests
{
    [Fact]
    public void Commits_the_lowest_offset_still_in_flight_as_documents_finish_out_of_order()
    {
        var window = new OffsetWindow(100);
        foreach (var offset in new long[] { 100, 101, 102, 103 }) window.Received(offset);
        Assert.Equal(100, window.CommitOffset);

        window.Completed(102);
        window.Completed(101);
        Assert.Equal(100, window.CommitOffset); // 100 still running: nothing after it may be committed
        window.Completed(100);
        Assert.Equal(103, window.CommitOffset);
        window.Completed(103);
        Assert.Equal(104, window.CommitOffset);
        Assert.Equal(0, window.InFlight);
    }

    [Fact]
    public void Gaps_in_offsets_and_dead_lettered_offsets_move_the_mark_forward()
    {
        var window = new OffsetWindow(0);
        window.Received(0);
        window.Received(1);       // dead-lettered at once
        window.Received(2);
        window.Completed(1);
        window.Completed(2);
        window.Received(5);       // 3 and 4 do not exist (compaction)
        window.Completed(0);
        Assert.Equal(5, window.CommitOffset);
        window.Completed(5);
        Assert.Equal(6, window.CommitOffset);
    }

    [Fact]
    public void A_reset_forgets_what_an_earlier_reader_had_in_flight()
    {
        var window = new OffsetWindow(0);
        window.Received(0);
        window.Received(1);
        window.Reset(0);
        Assert.Equal(0, window.CommitOffset);
        window.Received(0);
        window.Completed(7); // a late completion from before the reset, not in flight now: ignored
        window.Completed(0);
        Assert.Equal(1, window.CommitOffset);
    }

    [Fact]
    public void Redelivered_offsets_below_the_window_are_ignored()
    {
        var window = new OffsetWindow(10);
        window.Received(4);
        Assert.Equal(10, window.CommitOffset);
        Assert.Equal(0, window.InFlight);
    }
}
