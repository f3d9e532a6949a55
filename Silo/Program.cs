using Herald.Grains.Hosting;
using Herald.Silo.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A Herald silo. With no configuration it is a one-silo cluster on localhost that loads ./pipelines.
// `--demo FILE.jsonl` feeds a JSONL file of documents through the default pipeline, prints the results and exits.
// Settings files live beside the binary; relative paths in them (pipelines, --demo) are from the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .AddHerald());

var demoFile = builder.Configuration["demo"];
if (demoFile is not null)
{
    builder.Services.AddSingleton(new DemoOptions(demoFile, builder.Configuration["pipeline"] ?? "news"));
    builder.Services.AddHostedService<DemoRunner>();
}

await builder.Build().RunAsync();
