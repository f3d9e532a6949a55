using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Herald.Contracts;

/// <summary>
/// The value of a record on the central topic: a document's state in one pipeline (README, "Wire formats"). With
/// emission mode <see cref="EmissionMode.Deltas"/> an <c>annotation</c> record has no <see cref="Document"/> and holds
/// only its new annotation; a <c>complete</c> record always holds the whole state.
/// </summary>
public sealed record DocumentRecord
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("pipeline")] public required PipelineVersion Pipeline { get; init; }
    [JsonPropertyName("document")] public Document? Document { get; init; }

    /// <summary>The annotations so far, by annotator name.</summary>
    [JsonPropertyName("annotations")] public IReadOnlyDictionary<string, Annotation> Annotations { get; init; } = new Dictionary<string, Annotation>();

    [JsonPropertyName("status")] public required DocumentStatus Status { get; init; }

    /// <summary>Recorded annotations, plus one for completion.</summary>
    [JsonPropertyName("sequence")] public long Sequence { get; init; }

    [JsonPropertyName("completedAt")] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Fields added after this version of the contract.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Reads a central-topic value (UTF-8 JSON).</summary>
    public static DocumentRecord Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ContractsJson.Default.DocumentRecord) ?? throw new JsonException("a central-topic record cannot be null");

    /// <summary>The value of annotator <paramref name="name"/> read as <typeparamref name="T"/>, or default when it did not produce one.</summary>
    public T? ValueOf<T>(string name, JsonTypeInfo<T> type) =>
        Annotations.TryGetValue(name, out var annotation) ? annotation.ValueAs(type) : default;
}

/// <summary>A pipeline tag and the version of it that ran.</summary>
public sealed record PipelineVersion([property: JsonPropertyName("tag")] string Tag, [property: JsonPropertyName("version")] string Version);

[JsonConverter(typeof(JsonStringEnumConverter<DocumentStatus>))]
public enum DocumentStatus
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("complete")] Complete,
}
