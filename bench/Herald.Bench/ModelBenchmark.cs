using System.Diagnostics;
using System.Text.Json.Nodes;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Models;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>
/// The model is the real cost. On the same texts (the sample news, title and text), in one run: bare OnnxRuntime on
/// the MiniLM encoder (batch 1 and larger batches, no Herald) against Herald's full default pipeline (embedding,
/// relevance, event-type, entities, money, dates, signal) in one silo, with micro-batching on and off.
/// </summary>
public static class ModelBenchmark
{
    public static async Task RunAsync(string repository, int documents, int rounds, int inFlight)
    {
        var texts = File.ReadLines(Path.Combine(repository, "samples", "news.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Select(d => (Title: (string?)d["title"], Text: (string)d["text"]!)).ToList();
        var corpus = Enumerable.Range(0, documents).Select(i => texts[i % texts.Count]).ToList();
        Console.WriteLine($"{documents} documents per round (the {texts.Count} samples repeated), {rounds} rounds, {Environment.ProcessorCount} cores, median reported");

        var threads = Environment.ProcessorCount;
        using var encoder = new SentenceEncoder(BuiltInModels.MiniLmOnnx(), BuiltInModels.MiniLmVocabulary(), 256, threads);
        var inputs = corpus.Select(c => c.Title is null ? c.Text : $"{c.Title}. {c.Text}").ToList();
        encoder.Encode(inputs.Take(32).ToList()); // warm-up
        var bare = new Dictionary<int, double>();
        foreach (var batch in new[] { 1, 8, 16, 32 })
        {
            bare[batch] = Median(rounds, () =>
            {
                var clock = Stopwatch.StartNew();
                foreach (var chunk in inputs.Chunk(batch)) encoder.Encode(chunk);
                return documents / clock.Elapsed.TotalSeconds;
            });
            Console.WriteLine($"bare OnnxRuntime, MiniLM, {threads} threads, batch {batch,2}: {bare[batch],7:N0} documents/s");
        }
        var (bestBatch, bestBare) = bare.MaxBy(b => b.Value);

        var withBatching = await PipelineAsync(repository, corpus, rounds, inFlight, batchSize: 8, threads);
        var without = await PipelineAsync(repository, corpus, rounds, inFlight, batchSize: 1, threads);
        Console.WriteLine($"pipeline, micro-batching on (batch up to 8): {withBatching.Rate,7:N0} documents/s, p50 {withBatching.P50:N0} ms, p99 {withBatching.P99:N0} ms, average batch {withBatching.AverageBatch:0.0}");
        Console.WriteLine($"pipeline, micro-batching off (batch 1):       {without.Rate,7:N0} documents/s, p50 {without.P50:N0} ms, p99 {without.P99:N0} ms");
        Console.WriteLine($"pipeline / bare best batch ({bestBatch}): {withBatching.Rate / bestBare:P0}; micro-batching gain: {withBatching.Rate / without.Rate:0.00}x; "
            + $"bare batch {bestBatch} / batch 1: {bestBare / bare[1]:0.00}x");
    }

    private sealed record PipelineResult(double Rate, double P50, double P99, double AverageBatch);

    /// <summary>The shipped news pipeline in one silo, its embedding's batch size and threads set for this run.</summary>
    private static async Task<PipelineResult> PipelineAsync(string repository, List<(string? Title, string Text)> corpus, int rounds, int inFlight, int batchSize, int threads)
    {
        var folder = Directory.CreateTempSubdirectory("herald-bench-models-").FullName;
        var yaml = File.ReadAllText(Path.Combine(repository, "pipelines", "news.yaml"))
            .Replace("batchSize: 8", $"batchSize: {batchSize}\n      threads: {threads}");
        File.WriteAllText(Path.Combine(folder, "news.yaml"), yaml);
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        foreach (var model in Directory.EnumerateFiles(Path.Combine(repository, "pipelines", "models"), "*.onnx"))
            File.Copy(model, Path.Combine(folder, "models", Path.GetFileName(model)));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddHerald(o => o.PipelinesPath = folder));
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        try
        {
            await PumpAsync(grains, $"warm-{batchSize}", corpus.Take(256).ToList(), inFlight);
            var results = new List<(double Rate, List<double> Latencies)>();
            for (var round = 0; round < rounds; round++)
            {
                var latencies = new List<double>();
                var clock = Stopwatch.StartNew();
                latencies = await PumpAsync(grains, $"b{batchSize}-r{round}", corpus, inFlight);
                results.Add((corpus.Count / clock.Elapsed.TotalSeconds, latencies));
            }
            var median = results.OrderBy(r => r.Rate).ElementAt(results.Count / 2);
            var sorted = median.Latencies.Order().ToList();
            return new PipelineResult(median.Rate, sorted[sorted.Count / 2], sorted[(int)(sorted.Count * 0.99)], EmbeddingBatch());
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double EmbeddingBatch() => OnnxEmbeddingAnnotator.LoadedModels.Select(m => m.AverageBatchSize).DefaultIfEmpty(0).Max();

    /// <summary>Runs every document through the pipeline with <paramref name="inFlight"/> at a time; each one's latency in ms.</summary>
    private static async Task<List<double>> PumpAsync(IGrainFactory grains, string prefix, List<(string? Title, string Text)> corpus, int inFlight)
    {
        var latencies = new double[corpus.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < corpus.Count; i = Interlocked.Increment(ref next))
            {
                var id = $"{prefix}-{i}";
                var json = new JsonObject { ["id"] = id, ["title"] = corpus[i].Title, ["text"] = corpus[i].Text }.ToJsonString();
                var clock = Stopwatch.StartNew();
                var snapshot = await grains.GetGrain<IDocumentGrain>(DocumentKey.Format("news", id)).ProcessAsync(DocumentParser.Parse(json));
                latencies[i] = clock.Elapsed.TotalMilliseconds;
                if (snapshot.Status != DocumentStatus.Complete || snapshot.Annotations.Any(a => a.Status == AnnotationStatus.Failed))
                    throw new InvalidOperationException($"document {id} did not complete cleanly");
            }
        }));
        return [.. latencies];
    }

    private static double Median(int rounds, Func<double> measure) =>
        Enumerable.Range(0, rounds).Select(_ => measure()).Order().ElementAt(rounds / 2);
}
