using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Herald.Client;

/// <summary>Source-generated JSON metadata for the SDK's records (camelCase, as the silo writes them): <c>HeraldClientJson.Default.Signal</c>, ...</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<PipelineInfo>))]
[JsonSerializable(typeof(PipelineInfo))]
[JsonSerializable(typeof(ClusterStatus))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(Retirement))]
[JsonSerializable(typeof(AnnotatorPause))]
[JsonSerializable(typeof(Signal))]
public sealed partial class HeraldClientJson : JsonSerializerContext;

/// <summary>The bodies the client sends, and the problems it reads.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnnotateRequest))]
[JsonSerializable(typeof(BackfillRequest))]
[JsonSerializable(typeof(Problem))]
internal sealed partial class HeraldRequestJson : JsonSerializerContext;

internal sealed record AnnotateRequest(string Pipeline, string Text, string? Title, bool Publish);

internal sealed record BackfillRequest(string Pipeline, JsonObject Document, IReadOnlyList<ReusedAnnotation> Reuse);

/// <summary>An RFC 9457 problem as the silo writes it, with every error of a rejected pipeline.</summary>
internal sealed record Problem(string? Title, string? Detail, IReadOnlyList<string>? Errors);
