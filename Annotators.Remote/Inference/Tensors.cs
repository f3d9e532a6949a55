using System.Text.Json.Nodes;

namespace Herald.Annotators.Remote.Inference;

/// <summary>A tensor Herald sends: BYTES (strings) or FP32, flattened row-major, with its batch dimension first.</summary>
internal sealed record InputTensor(string Name, string Datatype, long[] Shape, string[]? Strings, float[]? Floats);

/// <summary>A tensor the server answered: its elements flattened row-major, as JSON numbers, strings or booleans.</summary>
internal sealed record OutputTensor(string Name, string Datatype, long[] Shape, JsonNode?[] Data)
{
    /// <summary>Elements per document: the product of the dimensions after the batch dimension.</summary>
    public int PerDocument(int batch) => Shape.Length > 1 ? (int)Shape.Skip(1).Aggregate(1L, (a, b) => a * b) : Data.Length / Math.Max(1, batch);
}

/// <summary>A tensor as the model's metadata declares it (-1 marks a variable dimension).</summary>
internal sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

internal sealed record ModelMetadata(string Name, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);

/// <summary>One protocol binding (REST or gRPC) of the Open Inference Protocol.</summary>
internal interface IInferenceTransport
{
    /// <summary>What errors name: the URL of the model's endpoint.</summary>
    string Endpoint { get; }

    /// <summary>Throws <see cref="Resilience.RemoteCallException"/> unless the server says it is ready.</summary>
    Task EnsureServerReadyAsync(CancellationToken cancellationToken);

    /// <summary>The model's metadata, or null when the server does not hold the model.</summary>
    Task<ModelMetadata?> MetadataAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<OutputTensor>> InferAsync(IReadOnlyList<InputTensor> inputs, CancellationToken cancellationToken);
}
