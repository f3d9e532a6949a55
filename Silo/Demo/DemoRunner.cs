using System.Diagnostics;
using System.Text.Json;
using Herald.Grains;
using Herald.Grains.Documents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Silo.Demo;

public sealed record DemoOptions(string File, string Pipeline);

/// <summary>
/// Feeds a JSONL file straight to document grains (no Kafka), prints each document's annotations as it
/// completes and a summary of the signals found, then stops the silo. Bad lines are reported, not fatal.
/// </summary>
internal sealed class DemoRunner(DemoOptions options, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<DemoRunner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForStartAsync(stoppingToken);
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Demo failed");
            Environment.ExitCode = 1;
        }
        lifetime.StopApplication();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var documents = new List<DocumentInput>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(options.File, cancellationToken))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                documents.Add(DocumentParser.Parse(line));
            }
            catch (InvalidDocumentException e)
            {
                Console.WriteLine($"{options.File}:{lineNumber}: skipped: {e.Message}");
            }
        }
        Console.WriteLine($"Running {documents.Count} documents from {options.File} through pipeline '{options.Pipeline}'...");

        var clock = Stopwatch.StartNew();
        var results = new List<DocumentSnapshot>();
        await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (document, _) =>
        {
            var grain = grains.GetGrain<IDocumentGrain>(DocumentKey.Format(options.Pipeline, document.Id));
            var snapshot = await grain.ProcessAsync(document);
            lock (results)
            {
                results.Add(snapshot);
                Console.WriteLine(DemoFormat.Line(snapshot));
            }
        });
        clock.Stop();
        Console.WriteLine();
        Console.WriteLine(DemoFormat.Summary(results, clock.Elapsed));
    }

    private Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource();
        lifetime.ApplicationStarted.Register(started.SetResult);
        return started.Task.WaitAsync(cancellationToken);
    }
}
