using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary><c>herald annotate</c>, <c>herald watch</c>, <c>herald get</c>, <c>herald annotators pause|resume</c> and <c>herald status</c>.</summary>
public static class ClusterCommands
{
    public static IEnumerable<Command> Create(IAnsiConsole console, ClusterConnection cluster) =>
        [Annotate(console, cluster), Watch(console, cluster), Get(console, cluster), Annotators(console, cluster), Status(console, cluster)];

    private static Option<string> PipelineOption() => new("--pipeline") { Description = "the pipeline", DefaultValueFactory = _ => "news" };

    private static Command Annotate(IAnsiConsole console, ClusterConnection cluster)
    {
        var text = new Argument<string>("text") { Description = "the text to classify" };
        var title = new Option<string?>("--title") { Description = "a title for the text" };
        var publish = new Option<bool>("--publish") { Description = "also write the result to the central topic (needs the token)" };
        var pipeline = PipelineOption();
        var command = cluster.With(new Command("annotate", "run a text through a pipeline now and show every annotation") { text, title, publish, pipeline });
        command.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, async () =>
        {
            using var client = cluster.Client(parse);
            var record = await client.AnnotateAsync(parse.GetValue(pipeline)!, parse.GetValue(text)!, parse.GetValue(title), parse.GetValue(publish), cancellation);
            var table = new Table().AddColumns("annotator", "version", "status", "result");
            foreach (var (name, annotation) in record["annotations"]!.AsObject())
                table.AddRow(Markup.Escape(name), Markup.Escape((string?)annotation!["version"] ?? ""), Markup.Escape((string?)annotation["status"] ?? ""),
                    Markup.Escape(Describe(annotation["value"]) ?? (string?)annotation["error"] ?? ""));
            console.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Watch(IAnsiConsole console, ClusterConnection cluster)
    {
        var pipeline = PipelineOption();
        var beginning = new Option<bool>("--from-beginning") { Description = "start from the oldest record the topic holds, not from now" };
        var command = cluster.With(new Command("watch", "print documents as they complete, read from the central topic (Ctrl+C stops)") { pipeline, beginning });
        command.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, async () =>
        {
            using var client = cluster.Client(parse);
            await foreach (var record in client.WatchAsync(parse.GetValue(pipeline)!, parse.GetValue(beginning), cancellation))
            {
                var signal = record["annotations"]?["signal"];
                var summary = (string?)signal?["status"] == "done" ? Describe(signal!["value"]) : "no signal";
                console.MarkupLineInterpolated($"{(string?)record["id"],-24} {summary}");
            }
            return 0;
        }));
        return command;
    }

    private static Command Get(IAnsiConsole console, ClusterConnection cluster)
    {
        var id = new Argument<string>("id") { Description = "the document id" };
        var pipeline = PipelineOption();
        var command = cluster.With(new Command("get", "show a document's current state and annotations") { id, pipeline });
        command.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, async () =>
        {
            using var client = cluster.Client(parse);
            var record = await client.GetDocumentAsync(parse.GetValue(pipeline)!, parse.GetValue(id)!, cancellation);
            if (record is null)
            {
                console.MarkupLineInterpolated($"[red]error[/] document '{parse.GetValue(id)}' is not known in pipeline '{parse.GetValue(pipeline)}'");
                return ClusterConnection.Refused;
            }
            // Raw JSON, not wrapped to the console's width, so it can be piped to jq or parsed.
            console.Profile.Out.Writer.WriteLine(record.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }));
        return command;
    }

    private static Command Annotators(IAnsiConsole console, ClusterConnection cluster)
    {
        Command Change(string verb, bool paused)
        {
            var pipeline = new Argument<string>("pipeline");
            var name = new Argument<string>("annotator");
            var command = cluster.With(new Command(verb, paused ? "hold documents at an annotator (none fail, none are lost)" : "release the documents held at an annotator") { pipeline, name });
            command.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, async () =>
            {
                using var client = cluster.Client(parse);
                var result = await client.SetPausedAsync(parse.GetValue(pipeline)!, parse.GetValue(name)!, paused, cancellation);
                console.MarkupLineInterpolated($"{parse.GetValue(pipeline)}/{parse.GetValue(name)} {(paused ? "paused" : "resumed")} on {result["appliedBySilos"]} of {result["silos"]} silo(s)");
                return 0;
            }));
            return command;
        }
        return new Command("annotators", "pause and resume annotators") { Change("pause", true), Change("resume", false) };
    }

    private static Command Status(IAnsiConsole console, ClusterConnection cluster)
    {
        var watch = new Option<bool>("--watch") { Description = "refresh every second until Ctrl+C" };
        var command = cluster.With(new Command("status", "throughput, latency, queues and errors per annotator, and consumer lag") { watch });
        command.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, async () =>
        {
            using var client = cluster.Client(parse);
            if (!parse.GetValue(watch))
            {
                console.Write(StatusTable(await client.GetStatusAsync(cancellation)));
                return 0;
            }
            await console.Live(StatusTable(await client.GetStatusAsync(cancellation))).StartAsync(async live =>
            {
                while (!cancellation.IsCancellationRequested)
                {
                    await Task.Delay(1000, cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
                    if (!cancellation.IsCancellationRequested) live.UpdateTarget(StatusTable(await client.GetStatusAsync(cancellation)));
                }
            });
            return 0;
        }));
        return command;
    }

    internal static Table StatusTable(JsonObject status)
    {
        var table = new Table().AddColumns("pipeline", "annotator", "docs/s", "p50 ms", "p99 ms", "running", "waiting", "errors", "skipped", "");
        foreach (var pipeline in status["pipelines"]!.AsArray())
        {
            var tag = (string)pipeline!["tag"]!;
            table.AddRow(Markup.Escape(tag), "[bold]all[/]", $"{(double)pipeline["throughput"]!:0.0}", $"{(double)pipeline["p50Ms"]!:0}", $"{(double)pipeline["p99Ms"]!:0}",
                $"{pipeline["inFlight"]}", "", "", "", "");
            foreach (var a in pipeline["annotators"]!.AsArray())
            {
                var name = (string)a!["name"]!;
                var flags = string.Join(" ", new[] { (bool)a["paused"]! ? "[grey]paused[/]" : null, name == (string?)pipeline["bottleneck"] ? "[orange1]bottleneck[/]" : null }.OfType<string>());
                table.AddRow("", Markup.Escape(name), $"{(double)a["throughput"]!:0.0}", $"{(double)a["p50Ms"]!:0.0}", $"{(double)a["p99Ms"]!:0.0}",
                    $"{a["running"]}", $"{a["waiting"]}", $"{a["errors"]}", $"{a["skipped"]}", flags);
            }
        }
        var lag = status["partitions"]!.AsArray().Sum(p => (long)p!["lag"]!);
        table.Caption($"{status["silos"]} silo(s); consumer lag {lag} over {status["partitions"]!.AsArray().Count} partition reader(s)");
        return table;
    }

    /// <summary>A signal's companies or people: "Osprey Grid Inc. (investee), Kittiwake Ventures (investor)".</summary>
    internal static string Parties(JsonNode? list) =>
        string.Join(", ", list?.AsArray().Select(p => p!["role"] is { } role ? $"{p["name"]} ({role})" : $"{p!["name"]}") ?? []);

    /// <summary>A one-line rendering of an annotation value: a signal, a label, a vector's size, the items found.</summary>
    internal static string? Describe(JsonNode? value)
    {
        if (value is not JsonObject o) return value?.ToJsonString();
        if (o["type"] is JsonValue type && o.ContainsKey("companies"))
        {
            var amount = o["amount"] is JsonObject a ? $" {a["currency"]} {(decimal)a["amount"]!:#,0}" : "";
            var parties = string.Join(", ", new[] { Parties(o["companies"]), Parties(o["people"]) }.Where(p => p.Length > 0));
            return $"{type}{amount}: {parties}";
        }
        if (o["label"] is { } label) return o["score"] is { } score ? $"{label} ({(double)score:0.00})" : label.ToString();
        if (o["vector"] is JsonArray vector) return $"{vector.Count}-d vector";
        foreach (var (_, property) in o)
            if (property is JsonArray items) return string.Join(", ", items.Select(i => i is JsonObject item && item["text"] is { } t ? t.ToString() : i?.ToJsonString()));
        return o.ToJsonString();
    }
}
