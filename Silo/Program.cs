using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Annotators.Remote;
using Herald.Grains.Hosting;
using Herald.Kafka.Hosting;
using Herald.Pipelines;
using Herald.Silo.Api;
using Herald.Silo.Demo;
using Herald.Silo.Health;
using Herald.Silo.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Orleans.Configuration;
using Orleans.Dashboard;

// A Herald silo. With no configuration it is a one-silo cluster on localhost with an embedded Kafka broker on
// 127.0.0.1:9092, reading the pipelines in ./pipelines, with health endpoints on http://127.0.0.1:8080.
// `--demo FILE.jsonl` produces the file into the input topic, prints each document's results from the central topic
// as they complete, and exits. Settings files live beside the binary; relative paths in them (pipelines, --demo)
// are from the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var pipelinesPath = builder.Configuration[$"{HeraldOptions.Section}:{nameof(HeraldOptions.PipelinesPath)}"] ?? new HeraldOptions().PipelinesPath;
if (!Path.Exists(pipelinesPath)) pipelinesPath = Path.Combine(AppContext.BaseDirectory, pipelinesPath);

var http = builder.Configuration.GetSection(HttpOptions.Section).Get<HttpOptions>() ?? new HttpOptions();
http.Validate();
builder.Services.Configure<HttpOptions>(builder.Configuration.GetSection(HttpOptions.Section));
builder.WebHost.UseUrls(http.Urls);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = http.MaxRequestBytes);
// Graceful shutdown hands this silo's queues (input partitions) and grains to the others: give it the time configured
// (the Helm chart sets it below the pod's termination grace period).
var shutdownSeconds = builder.Configuration.GetValue($"{HeraldOptions.Section}:ShutdownTimeoutSeconds", 30);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(shutdownSeconds));

builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:ClusterMembership"));
builder.Services.Configure<SiloMessagingOptions>(builder.Configuration.GetSection("Orleans:Messaging"));
builder.UseOrleans(silo => silo
    .UseHeraldClustering(builder.Configuration)
    .AddHerald(o => o.PipelinesPath = pipelinesPath)
    .AddHeraldKinds(ModelKinds.All)
    .AddHeraldKinds(RemoteKinds.All)
    .AddHeraldKafka()
    .AddDashboard());
builder.Services.AddSingleton(sp => RemoteKinds.KafkaWorkers(sp.GetRequiredService<IWorkerTopics>()));
builder.Services.AddHeraldApi(http);
// On loopback, only loopback host names: a web page cannot reach the silo through DNS rebinding.
if (http.LoopbackOnly && builder.Configuration["AllowedHosts"] is null or "*") builder.Configuration["AllowedHosts"] = "localhost;127.0.0.1;[::1]";
builder.Services.AddHeraldTelemetry(builder.Configuration);
builder.Services.AddHeraldWarehouse(builder.Configuration);

builder.Services.AddHealthChecks()
    .AddCheck<OrleansRuntimeHealthCheck>("orleans-runtime", tags: ["live"])
    .AddCheck<SiloReadyHealthCheck>("silo-ready", tags: ["ready"]);

var demoFile = builder.Configuration["demo"];
if (demoFile is not null)
{
    builder.Services.AddSingleton(new DemoOptions(demoFile, builder.Configuration["pipeline"] ?? "news"));
    builder.Services.AddHostedService<DemoRunner>();
}

var app = builder.Build();
app.UseHeraldErrors();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
// Herald's own page (wwwroot: the pipelines' DAGs with live numbers), served by the silo and usable offline.
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapHeraldApi();
app.MapOrleansDashboard("/dashboard");
app.MapPrometheusScrapingEndpoint("/metrics");
await app.RunAsync();
