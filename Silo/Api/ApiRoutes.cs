using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Herald.Grains.Control;
using Herald.Grains.Monitoring;
using Herald.Grains.Pipelines;
using Herald.Silo.Hosting;

namespace Herald.Silo.Api;

/// <summary>Herald's HTTP API under <c>/api</c>; the OpenAPI document is at <c>/openapi/v1.json</c>.</summary>
public static class ApiRoutes
{
    public const string AnnotateLimit = "annotate";

    public static IServiceCollection AddHeraldApi(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ErrorDetails.Customize);
        // Ad-hoc annotation runs whole pipelines: a bounded number at once, a bounded queue, then 429.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HttpOptions>>((limits, options) =>
        {
            var http = options.Value;
            limits.AddConcurrencyLimiter(AnnotateLimit, o => (o.PermitLimit, o.QueueLimit) = (http.AnnotateConcurrency, http.AnnotateConcurrency * 2));
            limits.OnRejected = (context, _) => new ValueTask(Problems.TooBusy($"more than {http.AnnotateConcurrency * 3} annotate requests at once: retry later")
                .ExecuteAsync(context.HttpContext));
        });
        services.AddOpenApi();
        services.AddSingleton<BearerToken>();
        services.AddSingleton<ClusterChanges>();
        services.AddSingleton<StatusHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusHistory>());
        return services;
    }

    public static void MapHeraldApi(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapOpenApi();
        var api = app.MapGroup("/api").WithTags("Herald");
        AnnotateEndpoints.Map(api);
        PipelineEndpoints.Map(api, app.Services.GetRequiredService<BearerToken>());
        QueryEndpoints.Map(api, app.Services.GetRequiredService<BearerToken>());
        BackfillEndpoints.Map(api, app.Services.GetRequiredService<BearerToken>());
        api.MapGet("/status", async (IGrainFactory grains, PipelineRegistry registry, AnnotatorGate gate, TimeProvider time) =>
                Results.Ok(StatusView.Of(await grains.GetGrain<IClusterStatusGrain>(IClusterStatusGrain.Key).GetAsync(), registry, gate, time.GetUtcNow())))
            .WithSummary("Per pipeline and annotator: throughput, latency p50/p99, running, waiting, errors, skipped, paused, circuit; per input partition: consumer lag");
        api.MapGet("/status/history", (StatusHistory history) => Results.Ok(history.Current()))
            .WithSummary("Each annotator's throughput and p50 latency over the last five minutes, a sample every two seconds (the page's sparklines)");
    }
}
