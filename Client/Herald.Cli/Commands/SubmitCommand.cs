using System.CommandLine;
using System.Text.Json.Nodes;
using Herald.Client;
using Herald.Contracts;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary><c>herald submit FILE.jsonl [--follow]</c>: produces documents to the input topic; with --follow, waits for their results.</summary>
public static class SubmitCommand
{
    public static Command Create(IAnsiConsole console, ClusterConnection cluster)
    {
        var file = new Argument<string>("file") { Description = "documents, one JSON object per line, each with id and text" };
        var follow = new Option<bool>("--follow") { Description = "wait for every document's result and summarise the signals found" };
        var pipeline = new Option<string>("--pipeline") { Description = "the pipeline whose results --follow waits for", DefaultValueFactory = _ => "news" };
        var timeout = new Option<int>("--timeout") { Description = "seconds --follow waits at most", DefaultValueFactory = _ => 300 };
        var command = cluster.With(new Command("submit", "submit documents to Herald's input topic") { file, follow, pipeline, timeout });
        command.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, () =>
            SubmitAsync(console, cluster, parse, parse.GetValue(file)!, parse.GetValue(follow), parse.GetValue(pipeline)!, TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellation)));
        return command;
    }

    private static async Task<int> SubmitAsync(IAnsiConsole console, ClusterConnection cluster, ParseResult parse, string file, bool follow, string pipeline, TimeSpan timeout, CancellationToken cancellation)
    {
        var (documents, problems) = DocumentsFile.Read(file);
        if (problems.Count > 0)
        {
            foreach (var problem in problems) console.MarkupLineInterpolated($"[red]error[/] {problem}");
            console.MarkupLineInterpolated($"[red]nothing was submitted: {problems.Count} problem(s)[/]");
            return ClusterConnection.BadInput;
        }
        using var client = cluster.Client(parse);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var ids = documents.Select(d => d["id"]!.GetValue<string>()).ToHashSet();
        var results = new Dictionary<string, DocumentRecord>();
        var watching = follow ? WatchAsync(client.WatchAsync(pipeline, cancellationToken: deadline.Token), ids, results) : Task.CompletedTask;

        await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()).StartAsync(async progress =>
        {
            var sent = progress.AddTask($"submitting {documents.Count} documents", maxValue: documents.Count);
            await client.SubmitAsync(documents, new Progress<int>(n => sent.Value = n), cancellation);
            sent.Value = documents.Count;
            if (!follow) return;
            var done = progress.AddTask($"results from pipeline '{pipeline}'", maxValue: documents.Count);
            while (!watching.IsCompleted)
            {
                lock (results) done.Value = results.Count;
                await Task.WhenAny(watching, Task.Delay(200, CancellationToken.None));
            }
            done.Value = results.Count;
        });
        console.MarkupLineInterpolated($"submitted {documents.Count} documents to {parse.GetValue(cluster.Kafka)}");
        if (!follow) return 0;
        await watching;
        Summarise(console, results.Values.ToList());
        if (results.Count == ids.Count) return 0;
        console.MarkupLineInterpolated($"[yellow]{ids.Count - results.Count} document(s) had no result within {timeout.TotalSeconds:0} s[/]");
        return ClusterConnection.Refused;
    }

    private static async Task WatchAsync(IAsyncEnumerable<DocumentRecord> completes, HashSet<string> ids, Dictionary<string, DocumentRecord> results)
    {
        try
        {
            await foreach (var record in completes)
            {
                if (!ids.Contains(record.Id)) continue;
                lock (results) results[record.Id] = record;
                if (results.Count == ids.Count) return;
            }
        }
        catch (OperationCanceledException)
        {
            // the --timeout ran out: summarise what arrived
        }
    }

    private static void Summarise(IAnsiConsole console, List<DocumentRecord> results)
    {
        var signals = results.Select(r => r.Signal()).OfType<Signal>().ToList();
        var table = new Table().AddColumns("signal", "documents");
        foreach (var group in signals.GroupBy(s => s.Type ?? "unknown").OrderByDescending(g => g.Count()))
            table.AddRow(group.Key, group.Count().ToString());
        console.MarkupLineInterpolated($"{results.Count} documents complete, {signals.Count} with a business signal");
        console.Write(table);
        var examples = new Table().AddColumns("type", "amount", "companies", "people");
        foreach (var signal in signals.Take(10))
        {
            var amount = signal.Amount is { } a ? $"{a.Currency} {a.Amount:#,0}" : "";
            examples.AddRow(Markup.Escape(signal.Type ?? ""), amount, Markup.Escape(ClusterCommands.Parties(signal.Companies)), Markup.Escape(ClusterCommands.Parties(signal.People)));
        }
        console.Write(examples);
    }
}
