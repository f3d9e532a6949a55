using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Herald.Annotators.Remote.Inference.Grpc;
using Herald.Annotators.Remote.Resilience;

namespace Herald.Annotators.Remote.Inference;

/// <summary>
/// The Open Inference Protocol over gRPC (<c>inference.GRPCInferenceService</c>). <c>grpc://host:port</c> is HTTP/2 without
/// TLS, <c>grpcs://</c> with it. Outputs are read from typed contents or from raw bytes, as Triton answers by default.
/// </summary>
internal sealed class GrpcInferenceTransport : IInferenceTransport
{
    private readonly GRPCInferenceService.GRPCInferenceServiceClient _client;
    private readonly string _model;
    private readonly string _version;

    public GrpcInferenceTransport(Uri url, string model, string? version)
    {
        var address = new UriBuilder(url) { Scheme = url.Scheme == "grpcs" ? "https" : "http", Port = url.Port }.Uri;
        // One channel per annotator version: it multiplexes every call over HTTP/2 connections of its own.
        _client = new GRPCInferenceService.GRPCInferenceServiceClient(GrpcChannel.ForAddress(address));
        _model = model;
        _version = version ?? "";
        Endpoint = $"{url.GetLeftPart(UriPartial.Authority)} inference.GRPCInferenceService/ModelInfer {model}{(version is null ? "" : " version " + version)}";
    }

    public string Endpoint { get; }

    public async Task EnsureServerReadyAsync(CancellationToken cancellationToken)
    {
        var ready = await Call(() => _client.ServerReadyAsync(new ServerReadyRequest(), cancellationToken: cancellationToken).ResponseAsync, "ServerReady");
        if (!ready.Ready) throw new RemoteCallException($"{Endpoint}: the server says it is not ready");
    }

    public async Task<ModelMetadata?> MetadataAsync(CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await _client.ModelMetadataAsync(new ModelMetadataRequest { Name = _model, Version = _version }, cancellationToken: cancellationToken);
            return new ModelMetadata(metadata.Name, [.. metadata.Inputs.Select(Describe)], [.. metadata.Outputs.Select(Describe)]);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.Unavailable && IsMissingModel(e))
        {
            return null;
        }
        catch (RpcException e)
        {
            throw new RemoteCallException($"{Endpoint}: ModelMetadata failed with {e.StatusCode}: {e.Status.Detail}", e);
        }
    }

    // Servers differ in the status of an unknown model (Triton: Unavailable or NotFound, KServe: NotFound): its detail names it.
    private static bool IsMissingModel(RpcException e) => e.StatusCode == StatusCode.NotFound || e.Status.Detail.Contains("unknown model", StringComparison.OrdinalIgnoreCase)
        || e.Status.Detail.Contains("not found", StringComparison.OrdinalIgnoreCase);

    private static TensorMetadata Describe(ModelMetadataResponse.Types.TensorMetadata t) => new(t.Name, t.Datatype, [.. t.Shape]);

    public async Task<IReadOnlyList<OutputTensor>> InferAsync(IReadOnlyList<InputTensor> inputs, CancellationToken cancellationToken)
    {
        var request = new ModelInferRequest { ModelName = _model, ModelVersion = _version };
        foreach (var input in inputs)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.Datatype, Contents = new InferTensorContents() };
            tensor.Shape.AddRange(input.Shape);
            if (input.Strings is { } strings) tensor.Contents.BytesContents.AddRange(strings.Select(ByteString.CopyFromUtf8));
            if (input.Floats is { } floats) tensor.Contents.Fp32Contents.AddRange(floats);
            request.Inputs.Add(tensor);
        }
        var response = await Call(() => _client.ModelInferAsync(request, cancellationToken: cancellationToken).ResponseAsync, "ModelInfer");
        return [.. response.Outputs.Select((output, i) => new OutputTensor(output.Name, output.Datatype, [.. output.Shape],
            i < response.RawOutputContents.Count ? FromRaw(output.Datatype, response.RawOutputContents[i]) : FromContents(output.Contents)))];
    }

    private async Task<T> Call<T>(Func<Task<T>> call, string method)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new RemoteCallException($"{Endpoint}: {method} failed with {e.StatusCode}: {e.Status.Detail}", e);
        }
    }

    private static JsonNode?[] FromContents(InferTensorContents? contents)
    {
        if (contents is null) return [];
        IEnumerable<JsonNode?> elements =
            contents.Fp32Contents.Count > 0 ? contents.Fp32Contents.Select(v => (JsonNode?)JsonValue.Create(v)) :
            contents.Fp64Contents.Count > 0 ? contents.Fp64Contents.Select(v => (JsonNode?)JsonValue.Create(v)) :
            contents.IntContents.Count > 0 ? contents.IntContents.Select(v => (JsonNode?)JsonValue.Create(v)) :
            contents.Int64Contents.Count > 0 ? contents.Int64Contents.Select(v => (JsonNode?)JsonValue.Create(v)) :
            contents.UintContents.Count > 0 ? contents.UintContents.Select(v => (JsonNode?)JsonValue.Create(v)) :
            contents.Uint64Contents.Count > 0 ? contents.Uint64Contents.Select(v => (JsonNode?)JsonValue.Create(v)) :
            contents.BoolContents.Count > 0 ? contents.BoolContents.Select(v => (JsonNode?)JsonValue.Create(v)) :
            contents.BytesContents.Select(v => (JsonNode?)JsonValue.Create(v.ToStringUtf8()));
        return [.. elements];
    }

    /// <summary>Raw contents: little-endian fixed-size elements, or for BYTES each element after its 4-byte length.</summary>
    private static JsonNode?[] FromRaw(string datatype, ByteString raw)
    {
        var bytes = raw.Span;
        var elements = new List<JsonNode?>();
        switch (datatype)
        {
            case "FP32": for (var i = 0; i + 4 <= bytes.Length; i += 4) elements.Add(JsonValue.Create(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]))); break;
            case "FP64": for (var i = 0; i + 8 <= bytes.Length; i += 8) elements.Add(JsonValue.Create(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]))); break;
            case "INT32": for (var i = 0; i + 4 <= bytes.Length; i += 4) elements.Add(JsonValue.Create(BinaryPrimitives.ReadInt32LittleEndian(bytes[i..]))); break;
            case "INT64": for (var i = 0; i + 8 <= bytes.Length; i += 8) elements.Add(JsonValue.Create(BinaryPrimitives.ReadInt64LittleEndian(bytes[i..]))); break;
            case "BOOL": foreach (var b in bytes) elements.Add(JsonValue.Create(b != 0)); break;
            case "UINT8": foreach (var b in bytes) elements.Add(JsonValue.Create((int)b)); break;
            case "BYTES":
                for (var i = 0; i + 4 <= bytes.Length;)
                {
                    var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..]);
                    elements.Add(JsonValue.Create(Encoding.UTF8.GetString(bytes.Slice(i + 4, length))));
                    i += 4 + length;
                }
                break;
            default: throw new RemoteCallException($"raw output of datatype {datatype} is not supported (FP32, FP64, INT32, INT64, BOOL, UINT8, BYTES are)");
        }
        return [.. elements];
    }
}
