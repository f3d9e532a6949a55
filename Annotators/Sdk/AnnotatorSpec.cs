using System.Text.Json.Nodes;

namespace Herald.Annotators;

/// <summary>
/// How a pipeline declares one annotator to its kind: enough to build an instance.
/// <paramref name="BaseDirectory"/> is the folder of the pipeline file, for resolving relative paths in options.
/// </summary>
public sealed record AnnotatorSpec(string Name, string Version, string Kind, JsonObject Options, string BaseDirectory);

/// <summary>Thrown when a kind cannot build an annotator from its spec (bad option value, unreadable model, ...).</summary>
public sealed class AnnotatorConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
