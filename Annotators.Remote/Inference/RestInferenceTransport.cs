using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Annotators.Remote.Resilience;

namespace Herald.Annotators.Remote.Inference;

/// <summary>The Open Inference Protocol over HTTP/REST: <c>/v2/health/ready</c>, <c>/v2/models/{model}[/versions/{v}]</c> and its <c>/infer</c>.</summary>
internal sealed class RestInferenceTransport(Uri baseUrl, string model, string? version) : IInferenceTransport
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _client = RemoteHttp.NewClient();
    private readonly Uri _ready = new(baseUrl, "v2/health/ready");
    private readonly Uri _model = new(baseUrl, $"v2/models/{Uri.EscapeDataString(model)}{(version is null ? "" : "/versions/" + Uri.EscapeDataString(version))}");
    private readonly Uri _infer = new(baseUrl, $"v2/models/{Uri.EscapeDataString(model)}{(version is null ? "" : "/versions/" + Uri.EscapeDataString(version))}/infer");

    public string Endpoint => _infer.ToString();

    public async Task EnsureServerReadyAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _ready);
        using var response = await RemoteHttp.SendAsync(_client, request, cancellationToken);
    }

    public async Task<ModelMetadata?> MetadataAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _model);
        using var response = await _client.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode)
            throw new RemoteCallException($"GET {_model} answered {(int)response.StatusCode} ({response.ReasonPhrase})");
        var metadata = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return new ModelMetadata(metadata?["name"]?.GetValue<string>() ?? model, Tensors(metadata?["inputs"]), Tensors(metadata?["outputs"]));
    }

    private static List<TensorMetadata> Tensors(JsonNode? list) =>
        list is JsonArray array
            ? [.. array.OfType<JsonObject>().Select(t => new TensorMetadata(
                t["name"]?.GetValue<string>() ?? "", t["datatype"]?.GetValue<string>() ?? "",
                t["shape"] is JsonArray shape ? [.. shape.Select(d => d?.GetValue<long>() ?? -1)] : []))]
            : [];

    public async Task<IReadOnlyList<OutputTensor>> InferAsync(IReadOnlyList<InputTensor> inputs, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _infer) { Content = new ByteArrayContent(RequestBody(inputs)) };
        request.Content.Headers.ContentType = Json;
        using var response = await RemoteHttp.SendAsync(_client, request, cancellationToken);
        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        }
        catch (JsonException e)
        {
            throw new RemoteCallException($"POST {_infer} answered something that is not JSON: {e.Message}");
        }
        if (answer?["outputs"] is not JsonArray outputs)
            throw new RemoteCallException($"POST {_infer} answered without 'outputs'");
        return [.. outputs.OfType<JsonObject>().Select(o => new OutputTensor(
            o["name"]?.GetValue<string>() ?? "",
            o["datatype"]?.GetValue<string>() ?? "",
            o["shape"] is JsonArray shape ? [.. shape.Select(d => d!.GetValue<long>())] : [],
            Flatten(o["data"])))];
    }

    private static byte[] RequestBody(IReadOnlyList<InputTensor> inputs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("inputs");
            foreach (var input in inputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", input.Name);
                writer.WriteString("datatype", input.Datatype);
                writer.WriteStartArray("shape");
                foreach (var dimension in input.Shape) writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data");
                foreach (var text in input.Strings ?? []) writer.WriteStringValue(text);
                foreach (var number in input.Floats ?? []) writer.WriteNumberValue(number);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The protocol allows tensor data flattened or nested by shape: both become the row-major elements.</summary>
    private static JsonNode?[] Flatten(JsonNode? data)
    {
        var elements = new List<JsonNode?>();
        void Walk(JsonNode? node)
        {
            if (node is JsonArray array) foreach (var item in array) Walk(item);
            else elements.Add(node?.DeepClone());
        }
        Walk(data);
        return [.. elements];
    }
}
