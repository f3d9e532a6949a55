using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Herald.Kafka.Embedded;
using Herald.Tests.Remote;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>One trace follows a document: from a traceparent on its input message, through a silo process and a remote service, to its records.</summary>
[Trait("Category", "process")]
public sealed class TracingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_trace_of_an_input_message_reaches_remote_services_worker_requests_and_the_central_topic()
    {
        // A Python http annotator that answers with the traceparent it was called with.
        var script = Path.Combine(Directory.CreateTempSubdirectory("herald-trace-").FullName, "echo.py");
        await File.WriteAllTextAsync(script, $$"""
            import sys
            sys.path.insert(0, {{System.Text.Json.JsonSerializer.Serialize(PythonService.SdkFolder)}})
            from herald_annotator import annotator, request_headers, serve

            @annotator
            def echo(document, dependencies):
                return {"traceparent": request_headers().get("traceparent")}

            serve(echo, port=int(sys.argv[sys.argv.index("--port") + 1]))
            """);
        using var echo = await PythonService.StartScriptAsync(script);
        if (echo is null) return;
        await using var broker = new EmbeddedKafkaBroker();
        broker.WithHeraldTopics(2);
        broker.CreateTopic("herald.requests.traced", 2);
        broker.CreateTopic("herald.worker-results", 2);
        var folder = Directory.CreateTempSubdirectory("herald-traced-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "traced.yaml"), $$"""
            pipeline: traced
            input: { start: earliest }
            annotators:
              - { name: echo, version: 1.0.0, kind: http, options: { url: "{{echo.Url}}" } }
              # No worker answers: the request is only looked at, and the document goes on without it.
              - { name: queued, version: 1.0.0, kind: kafka, timeout: 1s, retries: 0, options: { requestTopic: herald.requests.traced } }
              - { name: after, version: 1.0.0, kind: money, requires: ["echo@^1", "queued@^1?"] }
            """);
        using var silo = SiloProcess.Start("traced", broker.BootstrapServers, primary: null, new Dictionary<string, string>
        {
            ["Herald__PipelinesPath"] = folder,
            ["Herald__Telemetry__Tracing"] = "true",
        });
        await silo.WaitUntilReadyAsync(Patience);

        var trace = ActivityTraceId.CreateRandom().ToHexString();
        var producerSpan = ActivitySpanId.CreateRandom().ToHexString();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(HeraldTopics.Input, new Message<string, string>
            {
                Key = "traced-1",
                Value = """{"id": "traced-1", "text": "Fernwick Labs raised $12M."}""",
                Headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes($"00-{trace}-{producerSpan}-01") } },
            });
        }
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        var records = kafka.ReadUntil(HeraldTopics.Annotations, rs => rs.Any(r => r.Message.Key == "traced-1" && Header(r, "herald-event") == "complete"), Patience);

        var complete = records.Single(r => r.Message.Key == "traced-1" && Header(r, "herald-event") == "complete");
        var recordTrace = Header(complete, "traceparent")!;
        Assert.Matches($"^00-{trace}-[0-9a-f]{{16}}-01$", recordTrace);
        Assert.DoesNotContain(producerSpan, recordTrace); // the record's parent is the document's run, a span of its own
        var value = System.Text.Json.Nodes.JsonNode.Parse(complete.Message.Value)!["annotations"]!;
        Assert.Matches($"^00-{trace}-[0-9a-f]{{16}}-01$", (string)value["echo"]!["value"]!["traceparent"]!);
        Assert.Equal("done", (string)value["after"]!["status"]!);

        var request = kafka.ReadUntil("herald.requests.traced", rs => rs.Count > 0, Patience).Single();
        Assert.Matches($"^00-{trace}-[0-9a-f]{{16}}-01$", Header(request, "traceparent")!);
    }

    [Fact]
    public async Task Spans_are_exported_over_otlp_to_the_configured_collector()
    {
        // A collector's OTLP/HTTP endpoint on loopback: it keeps what the silo posts to /v1/traces.
        var port = SiloProcess.FreePort();
        using var collector = new System.Net.HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var traces = new System.Collections.Concurrent.ConcurrentQueue<byte[]>();
        var receiving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                System.Net.HttpListenerContext context;
                try { context = await collector.GetContextAsync(); } catch (Exception) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request.Url!.AbsolutePath == "/v1/traces") traces.Enqueue(body.ToArray());
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });
        await using var broker = new EmbeddedKafkaBroker();
        broker.WithHeraldTopics(2);
        using var silo = SiloProcess.Start("otlp", broker.BootstrapServers, primary: null, new Dictionary<string, string>
        {
            ["Herald__Kafka__Pipelines__news__StartFrom"] = "Earliest",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await silo.WaitUntilReadyAsync(Patience);
        var trace = ActivityTraceId.CreateRandom();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(HeraldTopics.Input, new Message<string, string>
            {
                Key = "otlp-1",
                Value = """{"id": "otlp-1", "text": "Fernwick Labs raised $12M."}""",
                Headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes($"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01") } },
            });
        }

        // OTLP carries trace ids as 16 raw bytes and span names as UTF-8 strings.
        var traceBytes = Convert.FromHexString(trace.ToHexString());
        await WaitUntilAsync(() => traces.Any(b => b.AsSpan().IndexOf(traceBytes) >= 0 && b.AsSpan().IndexOf("herald.annotate"u8) >= 0), Patience);
        Assert.Contains(traces, b => b.AsSpan().IndexOf(traceBytes) >= 0 && b.AsSpan().IndexOf("herald.document"u8) >= 0);
        collector.Stop();
        await receiving;
    }
}
