using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using Herald.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Herald.Client;

/// <summary>
/// Herald's client SDK. Documents are submitted to the input topic (keyed by id), as any producer would; results are
/// watched on the central annotations topic; ad-hoc annotation, look-ups and operations go over the HTTP API, through
/// the <see cref="HttpClient"/> that <c>services.AddHeraldClient(...)</c> configures (retries and timeouts included).
/// Every call is asynchronous and cancellable.
/// </summary>
public sealed class HeraldClient : IDisposable
{
    private readonly HeraldClientOptions _options;
    private readonly HttpClient _http;
    private IDisposable? _owner;

    /// <summary>For dependency injection: register with <c>services.AddHeraldClient(...)</c> and inject <see cref="HeraldClient"/>.</summary>
    public HeraldClient(HttpClient http, IOptions<HeraldClientOptions> options)
    {
        _http = http;
        _options = options.Value;
    }

    /// <summary>A client without a host (scripts, tools): the same configuration as <c>AddHeraldClient</c>, owned by the client.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names every problem.</exception>
    public static HeraldClient Create(HeraldClientOptions options)
    {
        var services = new ServiceCollection().AddHeraldClient(o => HeraldClientServiceCollectionExtensions.Copy(options, o)).BuildServiceProvider();
        try
        {
            var client = services.GetRequiredService<HeraldClient>();
            client._owner = services;
            return client;
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Produces documents to the input topic, waiting until the broker acknowledged every one. <paramref name="progress"/>
    /// hears the count acknowledged so far.
    /// </summary>
    public Task<int> SubmitAsync(IEnumerable<Document> documents, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        ProduceAsync(documents.Select(d => (d.Id, JsonSerializer.SerializeToUtf8Bytes(d, ContractsJson.Default.Document))), progress, cancellationToken);

    /// <summary>Produces documents given as raw JSON objects (each with at least <c>id</c> and <c>text</c>), unchanged.</summary>
    public Task<int> SubmitAsync(IEnumerable<JsonObject> documents, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        ProduceAsync(documents.Select(d => (d["id"] is JsonValue id && id.TryGetValue<string>(out var key) ? key : throw new ArgumentException("every document needs a string 'id'"),
            Encoding.UTF8.GetBytes(d.ToJsonString()))), progress, cancellationToken);

    private async Task<int> ProduceAsync(IEnumerable<(string Id, byte[] Value)> documents, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<string, byte[]>(KafkaConfig(new ProducerConfig { EnableIdempotence = true, Acks = Acks.All, LingerMs = 5, MessageTimeoutMs = 30_000 })).Build();
        // A metadata request blocks (up to 10 s): off the caller's thread, and cancellable while it waits.
        await Task.Run(() => CentralTopicWatch.Partitions(producer.Handle, _options.InputTopic, _options.KafkaBootstrapServers), cancellationToken);
        var sent = new List<Task>();
        var acknowledged = 0;
        foreach (var (id, value) in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sent.Add(Produce(id, value));
        }

        async Task Produce(string id, byte[] value)
        {
            await producer.ProduceAsync(_options.InputTopic, new Message<string, byte[]> { Key = id, Value = value }, cancellationToken);
            progress?.Report(Interlocked.Increment(ref acknowledged));
        }
        try
        {
            await Task.WhenAll(sent);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Deliveries in flight end with the producer; their outcomes no longer matter to a cancelled submit.
            await Task.WhenAll(sent.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default)));
            throw;
        }
        catch (ProduceException<string, byte[]> e)
        {
            throw new HeraldUnreachableException($"Kafka at {_options.KafkaBootstrapServers} did not acknowledge document '{e.DeliveryResult.Message.Key}': {e.Error.Reason}", e);
        }
        return sent.Count;
    }

    /// <summary>
    /// The <c>complete</c> records of a pipeline as they arrive on the central topic: from the first <c>MoveNextAsync</c>, or
    /// from the beginning of what the topic holds. One consumer reads on its own thread; cancelling
    /// <paramref name="cancellationToken"/> stops it and the enumeration throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public IAsyncEnumerable<DocumentRecord> WatchAsync(string pipeline, bool fromBeginning = false, CancellationToken cancellationToken = default) =>
        new CentralTopicWatch(KafkaConfig(new ConsumerConfig { GroupId = $"herald-watch-{Guid.NewGuid():n}", EnableAutoCommit = false }),
            _options.AnnotationsTopic, pipeline, fromBeginning).ReadAsync(cancellationToken);

    /// <summary>Runs a text through a pipeline and returns the whole record; published to the central topic only if asked.</summary>
    public async Task<DocumentRecord> AnnotateAsync(string pipeline, string text, string? title = null, bool publish = false, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Post, "api/annotate", JsonContent.Create(new AnnotateRequest(pipeline, text, title, publish), HeraldRequestJson.Default.AnnotateRequest),
            ContractsJson.Default.DocumentRecord, cancellationToken));

    /// <summary>
    /// Runs a document again on a pipeline's current version, recorded and published, reusing <paramref name="reuse"/> where
    /// nothing they depend on changed; returns the record. The document is sent as given (the cluster checks it).
    /// </summary>
    public async Task<DocumentRecord> BackfillAsync(string pipeline, JsonObject document, IReadOnlyList<ReusedAnnotation> reuse, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Post, "api/backfill", JsonContent.Create(new BackfillRequest(pipeline, document, reuse), HeraldRequestJson.Default.BackfillRequest),
            ContractsJson.Default.DocumentRecord, cancellationToken));

    /// <summary>A document's current state in a pipeline, or null when the cluster does not know it.</summary>
    public async Task<DocumentRecord?> GetDocumentAsync(string pipeline, string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, $"api/documents/{Uri.EscapeDataString(pipeline)}/{Uri.EscapeDataString(id)}", null, ContractsJson.Default.DocumentRecord, cancellationToken);
        }
        catch (HeraldApiException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<PipelineInfo>> GetPipelinesAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, "api/pipelines", null, HeraldClientJson.Default.IReadOnlyListPipelineInfo, cancellationToken));

    /// <summary>Per pipeline and annotator throughput, latency, running, waiting, errors; per partition lag.</summary>
    public async Task<ClusterStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, "api/status", null, HeraldClientJson.Default.ClusterStatus, cancellationToken));

    /// <summary>Validates and deploys a pipeline definition; a rejected one throws <see cref="HeraldApiException"/> with every error.</summary>
    public async Task<Deployment> DeployPipelineAsync(string tag, string yaml, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Put, $"api/pipelines/{Uri.EscapeDataString(tag)}", new StringContent(yaml, Encoding.UTF8, "application/yaml"),
            HeraldClientJson.Default.Deployment, cancellationToken));

    public async Task<Retirement> RetirePipelineAsync(string tag, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Delete, $"api/pipelines/{Uri.EscapeDataString(tag)}", null, HeraldClientJson.Default.Retirement, cancellationToken));

    public async Task<AnnotatorPause> SetPausedAsync(string pipeline, string annotator, bool paused, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Post, $"api/annotators/{Uri.EscapeDataString(pipeline)}/{Uri.EscapeDataString(annotator)}/{(paused ? "pause" : "resume")}", null,
            HeraldClientJson.Default.AnnotatorPause, cancellationToken));

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or BrokenCircuitException)
        {
            throw new HeraldUnreachableException($"no Herald silo answers at {_options.Url} ({e.Message}); is the cluster running, and is the address right (--url, HERALD_URL)?", e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new HeraldUnreachableException($"the Herald silo at {_options.Url} did not answer within {_options.Timeout.TotalSeconds:0} s", e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
                return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                    ?? throw new HeraldApiException((int)response.StatusCode, "empty answer", $"{method} {path} answered {(int)response.StatusCode} without a body", []);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? JsonSerializer.Deserialize(body, HeraldRequestJson.Default.Problem) : null;
            throw new HeraldApiException((int)response.StatusCode, problem?.Title ?? response.ReasonPhrase ?? "error", problem?.Detail ?? body, problem?.Errors ?? []);
        }
    }

    private T KafkaConfig<T>(T config) where T : ClientConfig
    {
        config.BootstrapServers = _options.KafkaBootstrapServers;
        foreach (var (key, value) in _options.Kafka) config.Set(key, value);
        return config;
    }

    /// <summary>Releases what <see cref="Create"/> built; a client from dependency injection holds nothing to release.</summary>
    public void Dispose() => _owner?.Dispose();
}
