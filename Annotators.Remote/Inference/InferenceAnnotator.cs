using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Annotators.Remote.Resilience;
using Herald.Annotators.Serving;

namespace Herald.Annotators.Remote.Inference;

/// <summary>
/// The <c>inference</c> kind: one model on a server speaking the Open Inference Protocol (Triton, KServe, MLServer), over
/// REST or gRPC. Concurrent documents are gathered into one request with a batch dimension, as GPU servers are used.
/// The value is every output tensor by name (this document's slice), or with <c>labels</c> a classifier's
/// <c>{"label", "score", "distribution"}</c>.
/// </summary>
internal sealed class InferenceAnnotator : IRemoteAnnotator, IMeasuredAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<InferenceOptions>(
        "inference", "a model on an Open Inference Protocol (KServe v2) server, over REST or gRPC, batched",
        (options, spec) => new InferenceAnnotator(spec, options));

    private readonly InferenceOptions _options;
    private readonly IInferenceTransport _transport;
    private readonly RemoteCalls _calls;
    private readonly MicroBatcher<object[], JsonNode?> _batcher;
    private readonly string[] _tensorNames;
    private readonly string[] _sources;

    private InferenceAnnotator(AnnotatorSpec spec, InferenceOptions options)
    {
        var url = RemoteOptions.ValidateUrl(options.Url, "http", "https", "grpc", "grpcs");
        options.ValidateLimits();
        if (string.IsNullOrWhiteSpace(options.Model)) throw new AnnotatorConfigurationException("option 'model' is required");
        if (options.Inputs.Count == 0) throw new AnnotatorConfigurationException("option 'inputs' must map at least one tensor name to a document field or dependency path");
        if (options.Inputs.FirstOrDefault(i => string.IsNullOrWhiteSpace(i.Value)) is { Key: { } empty })
            throw new AnnotatorConfigurationException($"input '{empty}' names no document field or dependency path");
        if (options.Labels is { Count: 0 }) throw new AnnotatorConfigurationException("option 'labels' is empty");
        if (options.Scores is not null && options.Labels is null) throw new AnnotatorConfigurationException("option 'scores' needs 'labels'");
        if (options.BatchSize < 1) throw new AnnotatorConfigurationException($"option 'batchSize' must be at least 1, not {options.BatchSize}");
        _options = options;
        _tensorNames = [.. options.Inputs.Keys];
        _sources = [.. options.Inputs.Values];
        // A base URL with a path (a gateway prefix) keeps it: the protocol's routes are relative to it.
        var baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _transport = url.Scheme.StartsWith("grpc", StringComparison.Ordinal)
            ? new GrpcInferenceTransport(url, options.Model, options.ModelVersion)
            : new RestInferenceTransport(baseUrl, options.Model, options.ModelVersion);
        _calls = new RemoteCalls($"{spec.Name}@{spec.Version}", _transport.Endpoint, options);
        _batcher = new MicroBatcher<object[], JsonNode?>(InferAsync, options.BatchSize, TimeSpan.FromMilliseconds(options.BatchWaitMs),
            options.MaxConcurrency, model: $"{spec.Name}@{spec.Version}");
    }

    public string Endpoint => _transport.Endpoint;
    public CircuitState Circuit => _calls.Circuit;

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var features = new object[_sources.Length];
        for (var i = 0; i < _sources.Length; i++) features[i] = Feature(input, _tensorNames[i], _sources[i]);
        return Annotation.Of(await _batcher.SubmitAsync(features, cancellationToken));
    }

    /// <summary>A string (for BYTES) or a float array (for FP32) from the document or a dependency's value.</summary>
    private static object Feature(AnnotatorInput input, string tensor, string source)
    {
        var dot = source.IndexOf('.');
        if (dot < 0)
        {
            if (source == "text") return input.Document.Text;
            if (source == "title") return input.Document.Title ?? "";
            return input.Document.Root.TryGetProperty(source, out var field)
                ? Convert(field, tensor, $"document field '{source}'")
                : throw new RemoteCallException($"input '{tensor}': the document has no field '{source}'");
        }
        var dependency = source[..dot];
        if (input.Dependency(dependency) is not { } result)
            throw new RemoteCallException($"input '{tensor}' reads '{source}', but '{dependency}' has no value for this document (add it to 'requires')");
        var element = result.Value;
        foreach (var segment in source[(dot + 1)..].Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
                throw new RemoteCallException($"input '{tensor}': '{source}' is not in {dependency}'s value");
        }
        return Convert(element, tensor, $"'{source}'");
    }

    private static object Convert(JsonElement value, string tensor, string what) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => new[] { value.GetSingle() },
        JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number) => value.EnumerateArray().Select(v => v.GetSingle()).ToArray(),
        _ => throw new RemoteCallException($"input '{tensor}': {what} is {value.ValueKind}, not a string, a number or an array of numbers"),
    };

    private async Task<JsonNode?[]> InferAsync(IReadOnlyList<object[]> documents, CancellationToken cancellationToken)
    {
        var tensors = new InputTensor[_tensorNames.Length];
        for (var i = 0; i < tensors.Length; i++) tensors[i] = Tensor(_tensorNames[i], documents.Select(d => d[i]).ToList());
        var outputs = await _calls.CallAsync(token => _transport.InferAsync(tensors, token), cancellationToken);
        return [.. Enumerable.Range(0, documents.Count).Select(row => Value(outputs, row, documents.Count))];
    }

    private static InputTensor Tensor(string name, List<object> values)
    {
        if (values.All(v => v is string))
            return new InputTensor(name, "BYTES", [values.Count, 1], [.. values.Cast<string>()], null);
        var vectors = values.OfType<float[]>().ToList();
        if (vectors.Count != values.Count || vectors.Any(v => v.Length != vectors[0].Length))
            throw new RemoteCallException($"input '{name}' mixes strings and numbers, or arrays of different lengths, across the documents of a batch");
        return new InputTensor(name, "FP32", [values.Count, vectors[0].Length], null, [.. vectors.SelectMany(v => v)]);
    }

    private JsonNode? Value(IReadOnlyList<OutputTensor> outputs, int row, int batch)
    {
        if (_options.Labels is { } labels)
        {
            var scores = _options.Scores is { } named
                ? outputs.FirstOrDefault(o => o.Name == named) ?? throw new RemoteCallException($"{Endpoint} answered no output '{named}' (outputs: {Names(outputs)})")
                : outputs.Count == 1 ? outputs[0] : throw new RemoteCallException($"{Endpoint} answered {outputs.Count} outputs ({Names(outputs)}): name the scores with option 'scores'");
            var slice = Slice(scores, row, batch);
            if (slice.Length != labels.Count)
                throw new RemoteCallException($"output '{scores.Name}' has {slice.Length} scores per document, but {labels.Count} labels are configured");
            return LabelDistribution.ToValue(labels, LabelDistribution.Normalize([.. slice.Select(s => s?.GetValue<float>() ?? 0f)]));
        }
        var value = new JsonObject();
        foreach (var output in outputs) value[output.Name] = new JsonArray(Slice(output, row, batch));
        return value;
    }

    private JsonNode?[] Slice(OutputTensor output, int row, int batch)
    {
        var width = output.PerDocument(batch);
        if (width * batch != output.Data.Length)
            throw new RemoteCallException($"{Endpoint}: output '{output.Name}' of shape [{string.Join(", ", output.Shape)}] holds {output.Data.Length} elements, not {batch} documents' worth");
        return [.. output.Data.Skip(row * width).Take(width).Select(e => e?.DeepClone())];
    }

    private static string Names(IReadOnlyList<OutputTensor> outputs) => string.Join(", ", outputs.Select(o => o.Name));

    /// <summary>At deploy: the server is ready, holds the model, and the model has every input named and the scores output.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        ModelMetadata? metadata;
        try
        {
            await _transport.EnsureServerReadyAsync(cancellationToken);
            metadata = await _transport.MetadataAsync(cancellationToken);
        }
        catch (Exception e) when (e is RemoteCallException or HttpRequestException or JsonException)
        {
            throw new AnnotatorConfigurationException($"{_options.Url}: the inference server is not ready: {e.Message}");
        }
        if (metadata is null)
            throw new AnnotatorConfigurationException($"{_options.Url}: the server has no model '{_options.Model}'{(_options.ModelVersion is null ? "" : $" version {_options.ModelVersion}")}");
        var missing = _tensorNames.Where(n => metadata.Inputs.All(i => i.Name != n)).ToList();
        if (missing.Count > 0)
            throw new AnnotatorConfigurationException(
                $"{_options.Url}: model '{_options.Model}' has no input {string.Join(", ", missing.Select(m => $"'{m}'"))} (its inputs: {Describe(metadata.Inputs)})");
        if (_options.Scores is { } scores && metadata.Outputs.All(o => o.Name != scores))
            throw new AnnotatorConfigurationException($"{_options.Url}: model '{_options.Model}' has no output '{scores}' (its outputs: {Describe(metadata.Outputs)})");
    }

    private static string Describe(IEnumerable<TensorMetadata> tensors) =>
        string.Join(", ", tensors.Select(t => $"{t.Name} {t.Datatype} [{string.Join(", ", t.Shape)}]"));

    public void MeasureWith(Meter meter)
    {
        _calls.MeasureWith(meter);
        _batcher.MeasureWith(meter);
    }
}
