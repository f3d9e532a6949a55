using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Annotators.Remote.Resilience;

namespace Herald.Annotators.Remote.Http;

/// <summary>
/// The <c>http</c> kind: <c>POST {url}</c> with <c>{"document": {...}, "dependencies": {"name": {"version", "value"}}}</c>,
/// answered by <c>{"value": ..., "spans": [...]}</c>. For a service a data scientist writes in an afternoon.
/// </summary>
internal sealed class HttpAnnotator : IRemoteAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<HttpAnnotatorOptions>(
        "http", "a JSON webhook: POST {document, dependencies}, answer {value, spans}", (options, spec) => new HttpAnnotator(spec, options));

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly Uri _url;
    private readonly RemoteCalls _calls;
    private readonly HttpClient _client = RemoteHttp.NewClient();
    private readonly KeyValuePair<string, string>[] _headers;

    private HttpAnnotator(AnnotatorSpec spec, HttpAnnotatorOptions options)
    {
        _url = options.Validate("http", "https");
        _headers = [.. options.Headers, .. options.HeadersFromEnv.Select(h => KeyValuePair.Create(h.Key, FromEnvironment(h.Key, h.Value)))];
        using var probe = new HttpRequestMessage();
        foreach (var (name, value) in _headers)
            if (!probe.Headers.TryAddWithoutValidation(name, value))
                throw new AnnotatorConfigurationException($"'{name}' cannot be sent as a request header");
        _calls = new RemoteCalls($"{spec.Name}@{spec.Version}", _url.ToString(), options);
    }

    private static string FromEnvironment(string header, string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new AnnotatorConfigurationException($"header '{header}' is read from environment variable {variable}, which is not set on this silo");

    public string Endpoint => _url.ToString();
    public CircuitState Circuit => _calls.Circuit;

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken) =>
        await _calls.CallAsync(token => PostAsync(input, token), cancellationToken);

    private async Task<Annotation> PostAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(RequestBody(input)) };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in _headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await RemoteHttp.SendAsync(_client, request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return ParseAnswer(body);
    }

    /// <summary>The document as received (unknown fields included) and each dependency's version and value.</summary>
    internal static byte[] RequestBody(AnnotatorInput input)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("document");
            input.Document.Root.WriteTo(writer);
            writer.WriteStartObject("dependencies");
            foreach (var (name, result) in input.Dependencies)
            {
                writer.WriteStartObject(name);
                writer.WriteString("version", result.Version);
                writer.WritePropertyName("value");
                result.Value.WriteTo(writer);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private Annotation ParseAnswer(byte[] body)
    {
        JsonObject answer;
        try
        {
            answer = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the answer is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new RemoteCallException($"POST {_url} answered something that is not {{\"value\": ...}}: {e.Message} ({Preview(body)})");
        }
        if (!answer.ContainsKey("value"))
            throw new RemoteCallException($"POST {_url} answered without a 'value' ({Preview(body)})");
        IReadOnlyList<AnnotationSpan>? spans = null;
        if (answer["spans"] is { } spansNode)
        {
            try
            {
                spans = spansNode.Deserialize<AnnotationSpan[]>();
            }
            catch (JsonException e)
            {
                throw new RemoteCallException($"POST {_url} answered 'spans' that are not [{{\"start\", \"end\", \"label\", \"score\"}}]: {e.Message}");
            }
        }
        return new Annotation(answer["value"]?.DeepClone(), spans);
    }

    private static string Preview(byte[] body) => body.Length <= 200 ? Encoding.UTF8.GetString(body) : Encoding.UTF8.GetString(body, 0, 200) + "…";

    /// <summary>At deploy: the service must answer HTTP at its URL (any status: the check does not post a document).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, _url);
            using var response = await _client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new AnnotatorConfigurationException($"{_url} cannot be reached: {e.Message}");
        }
    }
}
