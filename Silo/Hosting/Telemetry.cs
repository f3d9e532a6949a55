using Herald.Grains.Monitoring;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Herald.Silo.Hosting;

/// <summary>
/// OpenTelemetry metrics of the <c>Herald</c> meter (documents, annotations, durations, batch sizes, consumer lag) with
/// ASP.NET Core's and the runtime's: always scraped at <c>/metrics</c> in Prometheus format, and pushed over OTLP when
/// an endpoint is configured (the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable, or <c>Herald:Telemetry:OtlpEndpoint</c>);
/// traces of the <c>Herald</c> activity source (<see cref="HeraldTracing"/>) then too, or with <c>Herald:Telemetry:Tracing=true</c>.
/// </summary>
public static class Telemetry
{
    public static IServiceCollection AddHeraldTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // With the standard variables the exporters read them all (protocol, headers; over http/protobuf they add /v1/traces and
        // /v1/metrics to the endpoint); Herald:Telemetry:OtlpEndpoint sets the endpoint itself (gRPC by default).
        var herald = configuration["Herald:Telemetry:OtlpEndpoint"];
        var otlp = herald ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("herald-silo")).WithMetrics(metrics =>
        {
            metrics.AddMeter(HeraldMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
            if (!string.IsNullOrWhiteSpace(otlp)) metrics.AddOtlpExporter(o => Point(o, herald));
        });
        // Spans cost a little on every document and annotator: recorded when they are exported (OTLP) or asked for.
        // Without tracing, a traceparent a document arrived with still reaches its central records unchanged.
        if (!string.IsNullOrWhiteSpace(otlp) || configuration.GetValue("Herald:Telemetry:Tracing", false))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(HeraldTracing.SourceName).AddAspNetCoreInstrumentation();
                if (!string.IsNullOrWhiteSpace(otlp)) tracing.AddOtlpExporter(o => Point(o, herald));
            });
        }
        return services;
    }

    private static void Point(OpenTelemetry.Exporter.OtlpExporterOptions options, string? endpoint)
    {
        if (!string.IsNullOrWhiteSpace(endpoint)) options.Endpoint = new Uri(endpoint);
    }
}
