using Herald.Grains.Monitoring;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Herald.Silo.Hosting;

/// <summary>
/// OpenTelemetry metrics of the <c>Herald</c> meter (documents, annotations, durations, batch sizes, consumer lag) with
/// ASP.NET Core's and the runtime's: always scraped at <c>/metrics</c> in Prometheus format, and pushed over OTLP when
/// an endpoint is configured (the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable, or <c>Herald:Telemetry:OtlpEndpoint</c>).
/// </summary>
public static class Telemetry
{
    public static IServiceCollection AddHeraldTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration["Herald:Telemetry:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("herald-silo")).WithMetrics(metrics =>
        {
            metrics.AddMeter(HeraldMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
            if (!string.IsNullOrWhiteSpace(otlp)) metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
        });
        return services;
    }
}
