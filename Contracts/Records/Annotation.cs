using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Herald.Contracts;

/// <summary>One annotator's result on a document. <see cref="Value"/> is the annotator's JSON as it produced it.</summary>
public sealed record Annotation
{
    /// <summary>The annotator version that ran.</summary>
    [JsonPropertyName("version")] public required string Version { get; init; }

    [JsonPropertyName("status")] public required AnnotationStatus Status { get; init; }

    /// <summary>The annotator's output, raw (<see cref="JsonValueKind.Null"/> when skipped or failed).</summary>
    [JsonPropertyName("value")] public JsonElement Value { get; init; }

    [JsonPropertyName("spans")] public IReadOnlyList<Span>? Spans { get; init; }

    /// <summary>Why it was skipped.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>Why it failed, after all retries.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    [JsonPropertyName("durationMs")] public double DurationMs { get; init; }
    [JsonPropertyName("attempts")] public int Attempts { get; init; }
    [JsonPropertyName("at")] public DateTimeOffset At { get; init; }

    /// <summary>Taken over from an earlier run by a backfill (its duration and time are the original ones).</summary>
    [JsonPropertyName("reused")] public bool Reused { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The value read as <typeparamref name="T"/>, or default when there is none.</summary>
    public T? ValueAs<T>(JsonTypeInfo<T> type) =>
        Value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default : Value.Deserialize(type);
}

[JsonConverter(typeof(JsonStringEnumConverter<AnnotationStatus>))]
public enum AnnotationStatus
{
    [JsonStringEnumMemberName("done")] Done,
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>A labelled part of the document's text: UTF-16 offsets into <c>text</c>, end exclusive.</summary>
public sealed record Span(
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("end")] int End,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("score")] double? Score = null,
    [property: JsonPropertyName("text")] string? Text = null);
