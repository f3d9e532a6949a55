using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace Herald.Client;

/// <summary>
/// Herald's client SDK. Documents are submitted to the input topic (keyed by id), as any producer would; results are
/// watched on the central annotations topic; ad-hoc annotation, look-ups and operations go over the HTTP API.
/// Every call is asynchronous and cancellable. Records are returned as JSON in the central topic's format (README, "Wire formats").
/// </summary>
public sealed class HeraldClient : IDisposable
{
    private readonly HeraldClientOptions _options;
    private readonly HttpClient _http;

    public HeraldClient(HeraldClientOptions options)
    {
        _options = options;
        _http = new HttpClient { BaseAddress = options.Url, Timeout = options.Timeout };
        // Marks requests as coming from a program, not a web page elsewhere (a silo without a token requires it for changes).
        _http.DefaultRequestHeaders.Add("X-Herald-Request", "1");
        if (options.ApiToken is { Length: > 0 } token) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// Produces documents (each a JSON object with at least <c>id</c> and <c>text</c>) to the input topic, waiting until the
    /// broker acknowledged every one. <paramref name="progress"/> hears the count acknowledged so far.
    /// </summary>
    public async Task<int> SubmitAsync(IEnumerable<JsonObject> documents, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        using var producer = new ProducerBuilder<string, string>(KafkaConfig(new ProducerConfig { EnableIdempotence = true, Acks = Acks.All, LingerMs = 5, MessageTimeoutMs = 30_000 })).Build();
        CheckReachable(producer.Handle);
        var sent = new List<Task>();
        var acknowledged = 0;
        foreach (var document in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = document["id"]?.GetValue<string>() ?? throw new ArgumentException("every document needs an 'id'");
            sent.Add(ProduceAsync(id, document));
        }

        async Task ProduceAsync(string id, JsonObject document)
        {
            await producer.ProduceAsync(_options.InputTopic, new Message<string, string> { Key = id, Value = document.ToJsonString() }, cancellationToken);
            progress?.Report(Interlocked.Increment(ref acknowledged));
        }
        try
        {
            await Task.WhenAll(sent);
        }
        catch (ProduceException<string, string> e)
        {
            throw new HeraldUnreachableException($"Kafka at {_options.KafkaBootstrapServers} did not acknowledge document '{e.DeliveryResult.Message.Key}': {e.Error.Reason}", e);
        }
        return sent.Count;
    }

    /// <summary>Fails fast, with the address, when no Kafka broker answers (a client would otherwise retry for its whole timeout).</summary>
    private void CheckReachable(Handle handle) => Partitions(handle, _options.InputTopic);

    private List<TopicPartition> Partitions(Handle handle, string topic)
    {
        using var admin = new DependentAdminClientBuilder(handle).Build();
        try
        {
            return [.. admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId))];
        }
        catch (KafkaException e)
        {
            throw new HeraldUnreachableException($"no Kafka broker answers at {_options.KafkaBootstrapServers} ({e.Error.Reason}); is the address right (--kafka, HERALD_KAFKA)?", e);
        }
    }

    /// <summary>
    /// The <c>complete</c> records of a pipeline as they arrive on the central topic: from now, or from the beginning of what
    /// the topic holds. Ends when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async IAsyncEnumerable<JsonObject> WatchAsync(string pipeline, bool fromBeginning = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var config = KafkaConfig(new ConsumerConfig { GroupId = $"herald-watch-{Guid.NewGuid():n}", EnableAutoCommit = false });
        using var consumer = new ConsumerBuilder<string?, string>(config).Build();
        var partitions = Partitions(consumer.Handle, _options.AnnotationsTopic);
        // Positions are fixed now, not when a group rebalance eventually assigns them: nothing completing after this call is missed.
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, fromBeginning ? Offset.Beginning : consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High)));
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Consume blocks: poll briefly on a worker thread so cancellation is prompt.
                var record = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(200)), CancellationToken.None);
                if (record is null || Header(record, "herald-event") != "complete" || Header(record, "herald-pipeline") != pipeline) continue;
                if (JsonNode.Parse(record.Message.Value) is JsonObject completed) yield return completed;
            }
        }
        finally
        {
            consumer.Unassign();
        }
    }

    /// <summary>Runs a text through a pipeline and returns the whole record; published to the central topic only if asked.</summary>
    public async Task<JsonObject> AnnotateAsync(string pipeline, string text, string? title = null, bool publish = false, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Post, "api/annotate", JsonContent.Create(new { pipeline, text, title, publish }), cancellationToken))!;

    /// <summary>
    /// Runs a document again on a pipeline's current version, recorded and published, reusing <paramref name="reuse"/> (earlier
    /// annotations: name, version, value) where nothing they depend on changed; returns the record.
    /// </summary>
    public async Task<JsonObject> BackfillAsync(string pipeline, JsonObject document, JsonArray reuse, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Post, "api/backfill", JsonContent.Create(new JsonObject { ["pipeline"] = pipeline, ["document"] = document, ["reuse"] = reuse }), cancellationToken))!;

    /// <summary>A document's current state in a pipeline, or null when the cluster does not know it.</summary>
    public async Task<JsonObject?> GetDocumentAsync(string pipeline, string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return (JsonObject?)await SendAsync(HttpMethod.Get, $"api/documents/{Uri.EscapeDataString(pipeline)}/{Uri.EscapeDataString(id)}", null, cancellationToken);
        }
        catch (HeraldApiException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<JsonArray> GetPipelinesAsync(CancellationToken cancellationToken = default) =>
        (JsonArray)(await SendAsync(HttpMethod.Get, "api/pipelines", null, cancellationToken))!;

    /// <summary>Per pipeline and annotator throughput, latency, running, waiting, errors; per partition lag.</summary>
    public async Task<JsonObject> GetStatusAsync(CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Get, "api/status", null, cancellationToken))!;

    /// <summary>Validates and deploys a pipeline definition; a rejected one throws <see cref="HeraldApiException"/> with every error.</summary>
    public async Task<JsonObject> DeployPipelineAsync(string tag, string yaml, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Put, $"api/pipelines/{Uri.EscapeDataString(tag)}", new StringContent(yaml, Encoding.UTF8, "application/yaml"), cancellationToken))!;

    public async Task<JsonObject> RetirePipelineAsync(string tag, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Delete, $"api/pipelines/{Uri.EscapeDataString(tag)}", null, cancellationToken))!;

    public async Task<JsonObject> SetPausedAsync(string pipeline, string annotator, bool paused, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Post, $"api/annotators/{Uri.EscapeDataString(pipeline)}/{Uri.EscapeDataString(annotator)}/{(paused ? "pause" : "resume")}", null, cancellationToken))!;

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(new HttpRequestMessage(method, path) { Content = content }, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new HeraldUnreachableException($"no Herald silo answers at {_options.Url} ({e.Message}); is the cluster running, and is the address right (--url, HERALD_URL)?", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HeraldUnreachableException($"the Herald silo at {_options.Url} did not answer within {_options.Timeout.TotalSeconds:0} s", e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode) return body.Length == 0 ? null : JsonNode.Parse(body);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonNode.Parse(body) : null;
            throw new HeraldApiException((int)response.StatusCode, problem?["title"]?.ToString() ?? response.ReasonPhrase ?? "error",
                problem?["detail"]?.ToString() ?? body, problem?["errors"]?.AsArray().Select(e => e!.ToString()).ToList() ?? []);
        }
    }

    private T KafkaConfig<T>(T config) where T : ClientConfig
    {
        config.BootstrapServers = _options.KafkaBootstrapServers;
        foreach (var (key, value) in _options.Kafka) config.Set(key, value);
        return config;
    }

    private static string? Header(ConsumeResult<string?, string> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    public void Dispose() => _http.Dispose();
}
