using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Herald.Annotators.Serving;

/// <summary>Model serving's instruments, created once on each host's <c>Herald</c> meter.</summary>
internal sealed class BatchMetrics
{
    private static readonly ConditionalWeakTable<Meter, BatchMetrics> ByMeter = [];

    private BatchMetrics(Meter meter) =>
        BatchSize = meter.CreateHistogram<int>("herald.model.batch_size", "{document}", "documents gathered into one inference, per model");

    public static BatchMetrics For(Meter meter) => ByMeter.GetValue(meter, static m => new BatchMetrics(m));

    public Histogram<int> BatchSize { get; }
}
