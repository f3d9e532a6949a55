using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Herald.Warehouse.Storage;

namespace Herald.Warehouse.Query;

/// <summary>A query's answer: column names and rows of JSON values (JSON columns as the JSON they hold); <see cref="Truncated"/> when rows were cut off.</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<JsonNode?[]> Rows, bool Truncated);

/// <summary>A query that is not allowed (not one SELECT) or that failed, with DuckDB's reason.</summary>
public sealed class QueryRefusedException(string message) : Exception(message);

/// <summary>
/// Runs SQL on the warehouse, read-only three ways: the statement must be a single SELECT (DuckDB's own parser says so), it runs
/// in a read-only transaction, and the database has no file access beyond itself. Rows and time are limited.
/// </summary>
public static class WarehouseQuery
{
    public static QueryResult Run(DuckDBConnection connection, string sql, int maxRows, TimeSpan timeout)
    {
        EnsureSingleSelect(connection, sql);
        Sql.Execute(connection, "BEGIN TRANSACTION READ ONLY");
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var timer = new Timer(_ => command.Cancel(), null, timeout, Timeout.InfiniteTimeSpan);
            try
            {
                using var reader = command.ExecuteReader();
                var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
                var json = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetDataTypeName(i) == "JSON").ToArray();
                var rows = new List<JsonNode?[]>();
                var truncated = false;
                while (reader.Read())
                {
                    if (rows.Count == maxRows)
                    {
                        truncated = true;
                        break;
                    }
                    var row = new JsonNode?[columns.Length];
                    for (var i = 0; i < row.Length; i++)
                        row[i] = reader.IsDBNull(i) ? null : json[i] && reader.GetValue(i) is string text ? JsonNode.Parse(text) : Json(reader.GetValue(i));
                    rows.Add(row);
                }
                return new QueryResult(columns, rows, truncated);
            }
            catch (OperationCanceledException)
            {
                throw new QueryRefusedException($"the query ran longer than {timeout.TotalSeconds:0.#} s and was stopped");
            }
            catch (DuckDBException e)
            {
                throw new QueryRefusedException(e.Message);
            }
        }
        finally
        {
            Sql.Execute(connection, "ROLLBACK");
        }
    }

    private static void EnsureSingleSelect(DuckDBConnection connection, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) throw new QueryRefusedException("the query is empty");
        using var command = connection.CreateCommand();
        // A literal, not a parameter: the function wants a constant string. Quotes doubled, it cannot end early.
        command.CommandText = $"SELECT json_serialize_sql('{sql.Replace("'", "''")}')";
        using var parsed = JsonDocument.Parse((string)command.ExecuteScalar()!);
        var root = parsed.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
        {
            var message = root.TryGetProperty("error_message", out var m) ? m.GetString() : "not a query";
            throw new QueryRefusedException(message == "Only SELECT statements can be serialized to json!"
                ? "only a SELECT query is allowed: the warehouse is read-only here"
                : $"the query is not valid: {message}");
        }
        if (root.GetProperty("statements").GetArrayLength() != 1) throw new QueryRefusedException("give exactly one SELECT statement");
    }

    /// <summary>A DuckDB value as JSON: numbers and booleans as such, times in ISO-8601, lists and structs nested.</summary>
    private static JsonNode? Json(object? value) => value switch
    {
        null or DBNull => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        DateTime t => JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture)),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        sbyte or byte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        float or double or decimal when Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && double.IsFinite(d) => JsonValue.Create(d),
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, Json(map[k])))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(Json).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
