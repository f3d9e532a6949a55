using System.CommandLine;
using System.Text.Json;
using Herald.Client;
using Herald.Contracts;
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
            foreach (var (name, annotation) in record.Annotations)
                table.AddRow(Markup.Escape(name), Markup.Escape(annotation.Version), annotation.Status.ToString().ToLowerInvariant(),
                    Markup.Escape(Describe(annotation.Value) ?? annotation.Error ?? ""));
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
                var summary = record.Annotations.TryGetValue("signal", out var signal) && signal.Status == AnnotationStatus.Done ? Describe(signal.Value) : "no signal";
                console.MarkupLineInterpolated($"{record.Id,-24} {summary}");
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
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(record, Indented));
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
                console.MarkupLineInterpolated($"{parse.GetValue(pipeline)}/{parse.GetValue(name)} {(paused ? "paused" : "resumed")} on {result.AppliedBySilos} of {result.Silos} silo(s)");
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

    internal static Table StatusTable(ClusterStatus status)
    {
        var table = new Table().AddColumns("pipeline", "annotator", "docs/s", "p50 ms", "p99 ms", "running", "waiting", "errors", "skipped", "");
        foreach (var pipeline in status.Pipelines)
        {
            table.AddRow(Markup.Escape(pipeline.Tag), "[bold]all[/]", $"{pipeline.Throughput:0.0}", $"{pipeline.P50Ms:0}", $"{pipeline.P99Ms:0}", $"{pipeline.InFlight}", "", "", "", "");
            foreach (var a in pipeline.Annotators)
            {
                var flags = string.Join(" ", new[] { a.Paused ? "[grey]paused[/]" : null, a.Name == pipeline.Bottleneck ? "[orange1]bottleneck[/]" : null }.OfType<string>());
                table.AddRow("", Markup.Escape(a.Name), $"{a.Throughput:0.0}", $"{a.P50Ms:0.0}", $"{a.P99Ms:0.0}", $"{a.Running}", $"{a.Waiting}", $"{a.Errors}", $"{a.Skipped}", flags);
            }
        }
        table.Caption($"{status.Silos} silo(s); consumer lag {status.Partitions.Sum(p => p.Lag)} over {status.Partitions.Count} partition reader(s)");
        return table;
    }

    /// <summary>A signal's companies or people: "Osprey Grid Inc. (investee), Kittiwake Ventures (investor)".</summary>
    internal static string Parties(IEnumerable<SignalParty> parties) =>
        string.Join(", ", parties.Select(p => p.Role is { } role ? $"{p.Name} ({role})" : p.Name));

    /// <summary>A one-line rendering of an annotation value: a signal, a label, a vector's size, the items found.</summary>
    internal static string? Describe(JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object) return value.GetRawText();
        if (value.TryGetProperty("type", out var type) && value.TryGetProperty("companies", out _) && ReadSignal(value) is { } signal)
        {
            var amount = signal.Amount is { } a ? $" {a.Currency} {a.Amount:#,0}" : "";
            var parties = string.Join(", ", new[] { Parties(signal.Companies), Parties(signal.People) }.Where(p => p.Length > 0));
            return $"{(type.ValueKind == JsonValueKind.String ? type.GetString() : type.GetRawText())}{amount}: {parties}";
        }
        if (value.TryGetProperty("label", out var label))
            return value.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number ? $"{Text(label)} ({score.GetDouble():0.00})" : Text(label);
        if (value.TryGetProperty("vector", out var vector) && vector.ValueKind == JsonValueKind.Array) return $"{vector.GetArrayLength()}-d vector";
        foreach (var property in value.EnumerateObject())
            if (property.Value.ValueKind == JsonValueKind.Array)
                return string.Join(", ", property.Value.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("text", out var t) ? Text(t) : i.GetRawText()));
        return value.GetRawText();
    }

    private static Signal? ReadSignal(JsonElement value)
    {
        try
        {
            return value.Deserialize(HeraldClientJson.Default.Signal);
        }
        catch (JsonException)
        {
            return null; // a value shaped like a signal but not one: shown raw
        }
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static readonly JsonSerializerOptions Indented = new(ContractsJson.Default.Options) { WriteIndented = true };
}
