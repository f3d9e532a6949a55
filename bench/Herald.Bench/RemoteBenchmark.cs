using System.Diagnostics;
using System.Net.Http.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Herald.Annotators.Remote.Inference.Grpc;
using System.Text.Json.Nodes;
using Herald.Annotators.Remote;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>
/// A pipeline whose one heavy annotator is remote: a model server outside the silo with a fixed cost per request, as a
/// GPU's (over REST the Python SDK's Open Inference Protocol server, over gRPC <see cref="FakeModelServer"/>). In one run,
/// per protocol: the server called directly with the same batching and concurrency (the floor), against Herald's
/// <c>inference</c> kind gathering documents into the same batches.
/// </summary>
public static class RemoteBenchmark
{
    public static async Task RunAsync(string repository, int documents, int rounds, int batchSize, int concurrency, int costMs)
    {
        Console.WriteLine($"{documents} documents per round, {rounds} rounds, batches of {batchSize}, {concurrency} requests in flight, "
            + $"{costMs} ms per request on the server, {Environment.ProcessorCount} cores, median reported");
        var texts = File.ReadLines(Path.Combine(repository, "samples", "news.jsonl")).Select(l => (string)JsonNode.Parse(l)!["text"]!).ToList();
        var corpus = Enumerable.Range(0, documents).Select(i => texts[i % texts.Count]).ToList();

        // REST: the Python SDK's model server. gRPC: a fake server of this benchmark's own. Each a process outside the silo.
        var restPort = FreePort();
        using (var rest = new ServerProcess("python3", Path.Combine(repository, "sdk", "python", "examples", "urgency_model.py"), "--port", restPort.ToString(), "--delay-ms", costMs.ToString()))
        {
            var url = $"http://127.0.0.1:{restPort}";
            await WaitForAsync(() => RestReadyAsync(url));
            await CompareAsync("REST", url, corpus, rounds, batchSize, concurrency, (batch, count) => RestInferAsync(url, batch, count));
        }
        var grpcPort = FreePort();
        var self = Environment.ProcessPath!;
        string[] selfArguments = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(RemoteBenchmark).Assembly.Location] : [];
        using (var grpc = new ServerProcess(self, [.. selfArguments, "fake-model-server", "--port", grpcPort.ToString(), "--cost-ms", costMs.ToString()]))
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
            await WaitForAsync(async () => (await client.ServerReadyAsync(new ServerReadyRequest())).Ready);
            await CompareAsync("gRPC", $"grpc://127.0.0.1:{grpcPort}", corpus, rounds, batchSize, concurrency, (batch, count) => GrpcInferAsync(client, batch, count));
        }
    }

    private static async Task CompareAsync(string protocol, string url, List<string> corpus, int rounds, int batchSize, int concurrency,
        Func<string[], int, Task> infer)
    {
        await DirectAsync(corpus.Take(batchSize * concurrency * 2).ToList(), batchSize, concurrency, infer); // warm-up
        var direct = RoundResult.Median(await RoundResult.RepeatAsync(rounds, () => DirectAsync(corpus, batchSize, concurrency, infer)));
        var herald = RoundResult.Median(await HeraldAsync(url, corpus, rounds, batchSize, concurrency));
        Console.WriteLine($"direct {protocol} client, batches of {batchSize}: {direct.Rate,7:N0} documents/s, p50 {direct.P50:N1} ms, p99 {direct.P99:N1} ms");
        Console.WriteLine($"Herald, inference over {protocol}:      {herald.Rate,7:N0} documents/s, p50 {herald.P50:N1} ms, p99 {herald.P99:N1} ms");
        Console.WriteLine($"Herald, inference over {protocol} vs direct: {herald.Rate / direct.Rate:0.00}x the throughput");
    }

    /// <summary>A model server process, killed when the comparison is over.</summary>
    private sealed class ServerProcess(string file, params string[] arguments) : IDisposable
    {
        private readonly Process _process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true })!;

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }

    private static readonly HttpClient Http = new();

    private static async Task<bool> RestReadyAsync(string url) => (await Http.GetAsync($"{url}/v2/health/ready")).IsSuccessStatusCode;

    private static async Task RestInferAsync(string url, string[] batch, int count)
    {
        var request = new { inputs = new[] { new { name = "text", datatype = "BYTES", shape = new[] { count, 1 }, data = batch } } };
        using var response = await Http.PostAsJsonAsync($"{url}/v2/models/urgency/infer", request);
        response.EnsureSuccessStatusCode();
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (answer["outputs"]![0]!["data"]!.AsArray().Count != count * 2) throw new InvalidOperationException("short answer");
    }

    private static async Task GrpcInferAsync(GRPCInferenceService.GRPCInferenceServiceClient client, string[] batch, int count)
    {
        var tensor = new ModelInferRequest.Types.InferInputTensor { Name = "text", Datatype = "BYTES", Shape = { count, 1 }, Contents = new InferTensorContents() };
        tensor.Contents.BytesContents.AddRange(batch.Select(ByteString.CopyFromUtf8));
        var response = await client.ModelInferAsync(new ModelInferRequest { ModelName = "urgency", Inputs = { tensor } });
        if (response.Outputs[0].Contents.Fp32Contents.Count != count * 2) throw new InvalidOperationException("short answer");
    }

    /// <summary>The floor: the same batches sent straight to the server, <paramref name="concurrency"/> requests at a time.</summary>
    private static async Task<RoundResult> DirectAsync(List<string> corpus, int batchSize, int concurrency, Func<string[], int, Task> infer)
    {
        var batches = corpus.Chunk(batchSize).ToList();
        var latencies = new List<double>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                await infer(batches[i], batches[i].Length);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies) latencies.AddRange(Enumerable.Repeat(elapsed, batches[i].Length));
            }
        }));
        return RoundResult.Of(corpus.Count / clock.Elapsed.TotalSeconds, latencies);
    }

    /// <summary>One silo, a pipeline of one inference annotator; as many documents in flight as the direct client's batches hold.</summary>
    private static Task<List<RoundResult>> HeraldAsync(string url, List<string> corpus, int rounds, int batchSize, int concurrency) =>
        RemoteRig.HeraldRoundsAsync("remote", $$"""
            pipeline: remote
            annotators:
              - name: urgency
                version: 1.0.0
                kind: inference
                options: { url: "{{url}}", model: urgency, inputs: { text: text }, labels: [low, high], scores: probabilities, batchSize: {{batchSize}}, batchWaitMs: 2, maxConcurrency: {{concurrency}} }
            """, RemoteKinds.All, corpus, rounds, batchSize * concurrency);

    private static async Task WaitForAsync(Func<Task<bool>> ready)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                if (await ready()) return;
            }
            catch (Exception e) when (e is HttpRequestException or Grpc.Core.RpcException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the model server did not start");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
