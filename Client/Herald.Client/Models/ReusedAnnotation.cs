using System.Text.Json;

namespace Herald.Client;

/// <summary>An earlier annotation a backfill may take over where nothing it depends on changed.</summary>
public sealed record ReusedAnnotation(string Name, string Version, JsonElement Value, double? DurationMs = null, int? Attempts = null, DateTimeOffset? At = null);
