using System.Text;
using System.Text.Json;

namespace Herald.Silo.Demo;

/// <summary>Human-readable lines for the demo, read from central-topic records: one per document, and a closing summary.</summary>
internal static class DemoFormat
{
    public static string Line(JsonElement record)
    {
        var line = new StringBuilder($"{record.GetProperty("id").GetString(),-8}");
        foreach (var annotation in record.GetProperty("annotations").EnumerateObject())
        {
            line.Append("  ").Append(annotation.Name).Append('=');
            line.Append(annotation.Value.GetProperty("status").GetString() switch
            {
                "done" => Describe(annotation.Value.GetProperty("value")),
                "skipped" => "skipped",
                _ => $"FAILED({annotation.Value.GetProperty("error").GetString()})",
            });
        }
        return line.ToString();
    }

    public static string Summary(IReadOnlyList<JsonElement> records, int expected, int rejected, TimeSpan elapsed)
    {
        var signals = records
            .Select(r => r.GetProperty("annotations").TryGetProperty("signal", out var s) && s.GetProperty("status").GetString() == "done"
                ? s.GetProperty("value").GetProperty("type").GetString() ?? "unknown" : null)
            .OfType<string>()
            .GroupBy(t => t)
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key}: {g.Count()}");
        var failed = records.Sum(r => r.GetProperty("annotations").EnumerateObject().Count(a => a.Value.GetProperty("status").GetString() == "failed"));
        return $"{records.Count}/{expected} documents complete in {elapsed.TotalSeconds:0.00} s ({records.Count / elapsed.TotalSeconds:0} documents/s); "
             + $"{rejected} rejected line(s) sent to the dead-letter topic. Signals: {string.Join(", ", signals)}. Failed annotations: {failed}.";
    }

    /// <summary>A short rendering of an annotation value: the signal, a label, a vector's size, the items found, or the raw JSON.</summary>
    private static string Describe(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) return value.GetRawText();
        if (value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            var amount = value.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Object
                ? $" {a.GetProperty("currency").GetString()} {a.GetProperty("amount").GetDecimal():#,0}" : "";
            var date = value.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("date", out var dd)
                ? $" on {dd}" : "";
            var parties = Parties(value, "companies").Concat(Parties(value, "people")).ToList();
            return $"[{type.GetString()}{amount}{date}{(parties.Count > 0 ? ": " + string.Join(", ", parties) : "")}]";
        }
        if (value.TryGetProperty("label", out var label))
            return value.TryGetProperty("score", out var score) ? $"{label} ({score.GetDouble():0.00})" : label.ToString();
        if (value.TryGetProperty("vector", out var vector) && vector.ValueKind == JsonValueKind.Array) return $"{vector.GetArrayLength()}-d vector";
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
                return string.Join("|", property.Value.EnumerateArray().Select(i =>
                    i.ValueKind == JsonValueKind.Object && i.TryGetProperty("text", out var t) ? t.GetString() : i.ToString()));
        }
        return value.GetRawText();
    }

    /// <summary>"Osprey Grid Inc. (investee)", "Jane Doe (appointee, CEO)".</summary>
    private static IEnumerable<string> Parties(JsonElement signal, string property) =>
        signal.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(p =>
            {
                var role = string.Join(", ", new[] { "role", "title" }
                    .Select(k => p.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).OfType<string>());
                return role.Length > 0 ? $"{p.GetProperty("name").GetString()} ({role})" : p.GetProperty("name").GetString()!;
            })
            : [];
}
