using Herald.Annotators.Remote.Resilience;

namespace Herald.Annotators.Remote.Inference;

/// <summary>Options of the <c>inference</c> kind: one model on a server speaking the Open Inference Protocol (KServe v2).</summary>
public sealed class InferenceOptions : RemoteOptions
{
    /// <summary>The server's base URL: http(s):// for REST, grpc(s):// for gRPC.</summary>
    public string? Url { get; set; }

    /// <summary>The model's name on the server.</summary>
    public string? Model { get; set; }

    /// <summary>Optional: a version the server holds; without it the server picks.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>
    /// Tensor name -> what fills it: a document field (<c>text</c>, <c>title</c> or any top-level field: a string becomes
    /// BYTES [batch, 1]) or <c>dependency.path</c> into a dependency's value (a number array becomes FP32 [batch, n]).
    /// </summary>
    public Dictionary<string, string> Inputs { get; set; } = [];

    /// <summary>Optional: the classes of an FP32 [batch, k] output; the value becomes <c>{"label", "score", "distribution"}</c>.</summary>
    public List<string>? Labels { get; set; }

    /// <summary>With <see cref="Labels"/>: the output holding the scores (default: the model's only output).</summary>
    public string? Scores { get; set; }

    /// <summary>Documents gathered into one request (its batch dimension).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>How long a request waits for more documents after its first one.</summary>
    public double BatchWaitMs { get; set; } = 2;
}
