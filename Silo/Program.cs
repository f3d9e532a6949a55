using System.Net;
using Herald.Grains.Hosting;
using Herald.Silo;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Herald.Kafka.Hosting;
using Herald.Pipelines;
using Herald.Silo.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A Herald silo. With no configuration it is a one-silo cluster on localhost with an embedded Kafka broker on
// 127.0.0.1:9092, reading the pipelines in ./pipelines. `--demo FILE.jsonl` produces the file into the input
// topic, prints each document's results from the central topic as they complete, and exits.
// Settings files live beside the binary; relative paths in them (pipelines, --demo) are from the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var pipelinesPath = builder.Configuration[$"{HeraldOptions.Section}:{nameof(HeraldOptions.PipelinesPath)}"] ?? new HeraldOptions().PipelinesPath;
if (!Path.Exists(pipelinesPath)) pipelinesPath = Path.Combine(AppContext.BaseDirectory, pipelinesPath);

var cluster = builder.Configuration.GetSection("Herald:Cluster").Get<LocalClusterOptions>() ?? new LocalClusterOptions();
builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:ClusterMembership"));
builder.Services.Configure<SiloMessagingOptions>(builder.Configuration.GetSection("Orleans:Messaging"));
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, cluster.PrimarySiloPort is { } primary ? new IPEndPoint(IPAddress.Loopback, primary) : null)
    .AddHerald(o => o.PipelinesPath = pipelinesPath)
    .AddHeraldKafka(PipelineFiles.Tags(pipelinesPath)));

var demoFile = builder.Configuration["demo"];
if (demoFile is not null)
{
    builder.Services.AddSingleton(new DemoOptions(demoFile, builder.Configuration["pipeline"] ?? "news"));
    builder.Services.AddHostedService<DemoRunner>();
}

await builder.Build().RunAsync();
