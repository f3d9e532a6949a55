using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Annotators.Remote;
using Herald.Grains.Hosting;
using Herald.Kafka.Hosting;
using Herald.Silo.Api;
using Herald.Silo.Demo;
using Herald.Silo.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Herald.Silo.Hosting;

/// <summary>What a Herald silo is made of, composed in one place so <c>Program.cs</c> reads as a table of contents.</summary>
public static class HeraldSiloHost
{
    /// <summary>
    /// Orleans with Herald's engine, its annotator kinds (rules, models, remote) and Kafka; the HTTP API, health checks,
    /// telemetry and the optional warehouse sink. Options are validated at start, naming every problem.
    /// </summary>
    public static WebApplicationBuilder AddHeraldSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var pipelinesPath = configuration[$"{HeraldOptions.Section}:{nameof(HeraldOptions.PipelinesPath)}"] ?? new HeraldOptions().PipelinesPath;
        if (!Path.Exists(pipelinesPath)) pipelinesPath = Path.Combine(AppContext.BaseDirectory, pipelinesPath);

        builder.Services.AddOptions<HttpOptions>().Bind(configuration.GetSection(HttpOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>();
        var urls = configuration[$"{HttpOptions.Section}:{nameof(HttpOptions.Urls)}"] ?? new HttpOptions().Urls;
        builder.WebHost.UseUrls(urls);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpOptions>>((kestrel, http) => kestrel.Limits.MaxRequestBodySize = http.Value.MaxRequestBytes);
        // On loopback, only loopback host names: a web page cannot reach the silo through DNS rebinding.
        if (HttpOptions.AllLoopback(urls) && configuration["AllowedHosts"] is null or "*") configuration["AllowedHosts"] = "localhost;127.0.0.1;[::1]";

        // Graceful shutdown hands this silo's partitions and grains to the others: give it the time configured
        // (the Helm chart sets it below the pod's termination grace period).
        var shutdownSeconds = configuration.GetValue($"{HeraldOptions.Section}:ShutdownTimeoutSeconds", 30);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(shutdownSeconds));

        builder.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:ClusterMembership"));
        builder.Services.Configure<SiloMessagingOptions>(configuration.GetSection("Orleans:Messaging"));
        builder.UseOrleans(silo => silo
            .UseHeraldClustering(configuration)
            .AddHerald(o => o.PipelinesPath = pipelinesPath)
            .AddHeraldKinds(ModelKinds.All)
            .AddHeraldKinds(RemoteKinds.All)
            .AddHeraldKafka()
            .AddDashboard());
        builder.Services.AddSingleton(sp => RemoteKinds.KafkaWorkers(sp.GetRequiredService<IWorkerTopics>()));
        builder.Services.AddHeraldApi();
        builder.Services.AddHeraldTelemetry(configuration);
        builder.Services.AddHeraldWarehouse(configuration);
        builder.Services.AddHealthChecks()
            .AddCheck<OrleansRuntimeHealthCheck>("orleans-runtime", tags: ["live"])
            .AddCheck<SiloReadyHealthCheck>("silo-ready", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// <c>--demo FILE.jsonl [--pipeline TAG]</c>: produce the file into the input topic, print each document's results from
    /// the central topic as they complete, and exit.
    /// </summary>
    public static WebApplicationBuilder AddHeraldDemo(this WebApplicationBuilder builder)
    {
        if (builder.Configuration["demo"] is not { } file) return builder;
        builder.Services.AddSingleton(new DemoOptions(file, builder.Configuration["pipeline"] ?? "news"));
        builder.Services.AddHostedService<DemoRunner>();
        return builder;
    }

    /// <summary>Health (<c>/health/live</c>, <c>/health/ready</c>), Herald's page, the API, the Orleans dashboard and <c>/metrics</c>.</summary>
    public static WebApplication MapHeraldEndpoints(this WebApplication app)
    {
        app.UseHeraldErrors();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        // Herald's own page (wwwroot: the pipelines' DAGs with live numbers), served by the silo and usable offline.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapHeraldApi();
        app.MapOrleansDashboard("/dashboard");
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
