namespace Herald.Grains.Monitoring;

/// <summary>The latest durations (a fixed ring), for percentiles that follow what is happening now.</summary>
internal sealed class LatencyWindow(int capacity = 512)
{
    private readonly double[] _values = new double[capacity];
    private long _count;

    public void Add(double milliseconds)
    {
        var slot = Interlocked.Increment(ref _count) - 1;
        _values[slot % capacity] = milliseconds;
    }

    public (double P50, double P99) Percentiles()
    {
        var count = (int)Math.Min(Interlocked.Read(ref _count), capacity);
        if (count == 0) return (0, 0);
        var sorted = _values[..count];
        Array.Sort(sorted);
        return (sorted[(int)(count * 0.5)], sorted[Math.Min(count - 1, (int)(count * 0.99))]);
    }
}
