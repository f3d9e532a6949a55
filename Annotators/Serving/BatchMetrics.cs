using System.Diagnostics.Metrics;

namespace Herald.Annotators.Serving;

/// <summary>Model serving's instruments in the <c>Herald</c> meter (the silo exports it over OpenTelemetry).</summary>
internal static class BatchMetrics
{
    private static readonly Meter Meter = new("Herald");

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("herald.model.batch_size", "{document}", "documents gathered into one inference, per model");
}
