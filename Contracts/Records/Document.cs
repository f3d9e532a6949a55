using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Herald.Contracts;

/// <summary>
/// A document as it enters Herald (README, "Wire formats"): a non-empty <see cref="Text"/> and an <see cref="Id"/> are
/// required; every field Herald does not know is kept verbatim in <see cref="Extra"/>.
/// </summary>
public sealed record Document
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("text")] public required string Text { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("publishedAt")] public DateTimeOffset? PublishedAt { get; init; }
    [JsonPropertyName("metadata")] public JsonObject? Metadata { get; init; }

    /// <summary>Fields beyond the known ones, as received.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
