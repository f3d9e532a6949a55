using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using Herald.Annotators.Remote.Resilience;

namespace Herald.Annotators.Remote.Http;

/// <summary>
/// The <c>http</c> kind: <c>POST {url}</c> with <c>{"document": {...}, "dependencies": {"name": {"version", "value"}}}</c>,
/// answered by <c>{"value": ..., "spans": [...]}</c>. For a service a data scientist writes in an afternoon.
/// </summary>
internal sealed class HttpAnnotator : IRemoteAnnotator, IMeasuredAnnotator
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
        _url = RemoteOptions.ValidateUrl(options.Url, "http", "https");
        options.ValidateLimits();
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
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(RemoteJson.Request(input)) };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in _headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await RemoteHttp.SendAsync(_client, request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return RemoteJson.Answer(body, $"POST {_url}");
    }

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

    public void MeasureWith(Meter meter) => _calls.MeasureWith(meter);
}
