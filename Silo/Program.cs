using Herald.Silo.Hosting;

// A Herald silo. With no configuration it is a one-silo cluster on localhost with an embedded Kafka broker on
// 127.0.0.1:9092, reading the pipelines in ./pipelines, with its HTTP API and health endpoints on http://127.0.0.1:8080.
// Settings files live beside the binary; relative paths in them (pipelines, --demo) are from the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddHeraldSilo();  // Orleans, the engine, annotator kinds, Kafka, HTTP API, health, telemetry, warehouse (Hosting/HeraldSiloHost.cs)
builder.AddHeraldDemo();  // --demo FILE.jsonl: produce a file, print its results, exit

var app = builder.Build();
app.MapHeraldEndpoints();
await app.RunAsync();
