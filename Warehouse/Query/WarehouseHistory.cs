using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Herald.Warehouse.Query;

/// <summary>An earlier result of one annotator for one document, as the warehouse holds it (values, not spans).</summary>
public sealed record EarlierAnnotation(string Name, string Version, string Value, double? DurationMs, int? Attempts, DateTimeOffset? At);

/// <summary>
/// What backfills read from the warehouse: the documents to run again, and for a document the earlier run whose results fit a
/// pipeline best (the most annotators at the same name@version, then the latest).
/// </summary>
public sealed class WarehouseHistory(DuckDBConnection connection)
{
    /// <summary>
    /// The documents the warehouse holds complete (each once, its latest run), published (or else completed) since
    /// <paramref name="since"/>, narrowed by <paramref name="where"/> (SQL over the <c>documents</c> columns), in id order.
    /// </summary>
    public IEnumerable<JsonObject> Documents(DateTimeOffset? since, string? where)
    {
        using var command = connection.CreateCommand();
        var filter = (since is null ? "" : " AND coalesce(published_at, completed_at) >= $since") + (string.IsNullOrWhiteSpace(where) ? "" : $" AND ({where})");
        command.CommandText = $"""
            SELECT id, text, title, source, url, strftime(published_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'), CAST(metadata AS VARCHAR)
            FROM documents WHERE status = 'complete'{filter}
            QUALIFY row_number() OVER (PARTITION BY id ORDER BY completed_at DESC) = 1
            ORDER BY id
            """;
        if (since is { } from) command.Parameters.Add(new DuckDBParameter("since", from.UtcDateTime));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var document = new JsonObject { ["id"] = reader.GetString(0), ["text"] = reader.IsDBNull(1) ? "" : reader.GetString(1) };
            if (!reader.IsDBNull(2)) document["title"] = reader.GetString(2);
            if (!reader.IsDBNull(3)) document["source"] = reader.GetString(3);
            if (!reader.IsDBNull(4)) document["url"] = reader.GetString(4);
            if (!reader.IsDBNull(5)) document["publishedAt"] = reader.GetString(5);
            if (!reader.IsDBNull(6)) document["metadata"] = JsonNode.Parse(reader.GetString(6));
            yield return document;
        }
    }

    /// <summary>
    /// The done annotations of the earlier run of <paramref name="documentId"/> that shares the most name@version pairs with
    /// <paramref name="wanted"/>, leaving out runs of <paramref name="pipeline"/> at <paramref name="version"/> (the one being backfilled);
    /// only runs whose text equals <paramref name="text"/> count, so a changed document runs afresh.
    /// </summary>
    public IReadOnlyList<EarlierAnnotation> BestEarlierRun(string documentId, string text, string pipeline, string version, IReadOnlySet<string> wanted)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.pipeline, a.pipeline_version, a.name, a.version, CAST(a.value AS VARCHAR), a.duration_ms, a.attempts, a."at"
            FROM annotations a JOIN documents d ON d.id = a.document_id AND d.pipeline = a.pipeline AND d.pipeline_version = a.pipeline_version
            WHERE a.document_id = $id AND a.status = 'done' AND d.status = 'complete' AND d.text = $text
              AND NOT (a.pipeline = $pipeline AND a.pipeline_version = $version)
            """;
        command.Parameters.Add(new DuckDBParameter("id", documentId));
        command.Parameters.Add(new DuckDBParameter("text", text));
        command.Parameters.Add(new DuckDBParameter("pipeline", pipeline));
        command.Parameters.Add(new DuckDBParameter("version", version));
        var runs = new Dictionary<(string, string), List<EarlierAnnotation>>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!runs.TryGetValue(key, out var run)) runs[key] = run = [];
                run.Add(new EarlierAnnotation(reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? "null" : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }
        return runs.Values
            .OrderByDescending(run => run.Count(a => wanted.Contains($"{a.Name}@{a.Version}")))
            .ThenByDescending(run => run.Max(a => a.At ?? DateTimeOffset.MinValue))
            .FirstOrDefault() ?? [];
    }
}
