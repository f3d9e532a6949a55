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
        using var quantized = new SentenceEncoder(BuiltInModels.Onnx(BuiltInModels.MiniLmInt8), BuiltInModels.MiniLmVocabulary(), 256, threads);
        var inputs = corpus.Select(c => Herald.Annotators.AnnotatorDocument.JoinTitle(c.Title, c.Text)).ToList();
        encoder.Encode(inputs.Take(32).ToList()); // warm-up
        quantized.Encode(inputs.Take(32).ToList());
        var bare = new Dictionary<int, double>();
        var bareInt8 = new Dictionary<int, double>();
        foreach (var batch in new[] { 1, 8, 16, 32 })
        {
            // fp32 and int8 rounds alternate, so a slow spell of this shared machine weighs on both alike.
            var rates = Enumerable.Range(0, rounds).Select(_ => (Fp32: Rate(encoder, inputs, batch), Int8: Rate(quantized, inputs, batch))).ToList();
            bare[batch] = rates.Select(r => r.Fp32).Order().ElementAt(rounds / 2);
            bareInt8[batch] = rates.Select(r => r.Int8).Order().ElementAt(rounds / 2);
            Console.WriteLine($"bare OnnxRuntime, MiniLM, {threads} threads, batch {batch,2}: fp32 {bare[batch],7:N0} documents/s, int8 {bareInt8[batch],7:N0} documents/s");
        }
        var (bestBatch, bestBare) = bare.MaxBy(b => b.Value);
        var (bestInt8Batch, bestInt8) = bareInt8.MaxBy(b => b.Value);
        Console.WriteLine($"quantized vs fp32: {bestInt8 / bestBare:0.00}x");
        Console.WriteLine($"  (best of each: int8 batch {bestInt8Batch} {bestInt8:N0} documents/s, fp32 batch {bestBatch} {bestBare:N0} documents/s)");

        var withBatching = await PipelineAsync(repository, corpus, rounds, inFlight, batchSize: 8, threads, BuiltInModels.MiniLm);
        var without = await PipelineAsync(repository, corpus, rounds, inFlight, batchSize: 1, threads, BuiltInModels.MiniLm);
        var int8 = await PipelineAsync(repository, corpus, rounds, inFlight, batchSize: 8, threads, BuiltInModels.MiniLmInt8);
        Console.WriteLine($"pipeline, fp32, micro-batching on (batch up to 8): {withBatching.Rate,7:N0} documents/s, p50 {withBatching.P50:N0} ms, p99 {withBatching.P99:N0} ms, average batch {withBatching.AverageBatch:0.0}");
        Console.WriteLine($"pipeline, fp32, micro-batching off (batch 1):       {without.Rate,7:N0} documents/s, p50 {without.P50:N0} ms, p99 {without.P99:N0} ms");
        Console.WriteLine($"pipeline, int8, micro-batching on (batch up to 8): {int8.Rate,7:N0} documents/s, p50 {int8.P50:N0} ms, p99 {int8.P99:N0} ms");
        Console.WriteLine($"pipeline / bare best batch ({bestBatch}): fp32 {withBatching.Rate / bestBare:P0}, int8 {int8.Rate / bestInt8:P0}; micro-batching gain: {withBatching.Rate / without.Rate:0.00}x; "
            + $"bare batch {bestBatch} / batch 1: {bestBare / bare[1]:0.00}x; pipeline int8 vs fp32: {int8.Rate / withBatching.Rate:0.00}x");
    }

    private sealed record PipelineResult(double Rate, double P50, double P99, double AverageBatch);

    /// <summary>The shipped news pipeline in one silo, its embedding's model, batch size and threads set for this run.</summary>
    private static async Task<PipelineResult> PipelineAsync(string repository, List<(string? Title, string Text)> corpus, int rounds, int inFlight, int batchSize, int threads, string model)
    {
        var folder = Directory.CreateTempSubdirectory("herald-bench-models-").FullName;
        var yaml = File.ReadAllText(Path.Combine(repository, "pipelines", "news.yaml"))
            .Replace("batchSize: 8", $"batchSize: {batchSize}\n      threads: {threads}")
            .Replace($"model: {BuiltInModels.MiniLmInt8}", $"model: {model}").Replace($"model: {BuiltInModels.MiniLm}\n", $"model: {model}\n");
        File.WriteAllText(Path.Combine(folder, "news.yaml"), yaml);
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repository, "pipelines", "models"), "*.onnx"))
            File.Copy(file, Path.Combine(folder, "models", Path.GetFileName(file)));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddHerald(o => o.PipelinesPath = folder).AddHeraldKinds(Herald.Annotators.Onnx.ModelKinds.All));
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

    private static double Rate(SentenceEncoder encoder, List<string> inputs, int batch)
    {
        var clock = Stopwatch.StartNew();
        foreach (var chunk in inputs.Chunk(batch)) encoder.Encode(chunk);
        return inputs.Count / clock.Elapsed.TotalSeconds;
    }
}
