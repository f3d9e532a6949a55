using System.Diagnostics;

namespace Herald.Grains.Monitoring;

/// <summary>
/// Herald's traces: a span per document run (<c>herald.document</c>) and one per annotator attempt (<c>herald.annotate</c>), in
/// the <c>Herald</c> activity source. The W3C <c>traceparent</c> travels in Kafka headers (input, central topic, kafka
/// annotators' requests) and HTTP headers (remote calls), so one trace follows a document across silos and services.
/// </summary>
public static class HeraldTracing
{
    public const string SourceName = "Herald";
    public const string TraceParentHeader = "traceparent";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a span under <paramref name="traceParent"/> (or a new trace); null when nobody listens.</summary>
    public static Activity? Start(string name, ActivityKind kind, string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind, default(ActivityContext));
}
