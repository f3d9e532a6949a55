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

    /// <summary>A short rendering of an annotation value: the signal, a label, the items found, or the raw JSON.</summary>
    private static string Describe(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) return value.GetRawText();
        if (value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            var amount = value.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Object
                ? $" {a.GetProperty("currency").GetString()} {a.GetProperty("amount").GetDecimal():#,0}" : "";
            var date = value.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("date", out var dd)
                ? $" on {dd}" : "";
            return $"[{type.GetString()}{amount}{date}]";
        }
        if (value.TryGetProperty("label", out var label)) return label.ToString();
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
                return string.Join("|", property.Value.EnumerateArray().Select(i => i.TryGetProperty("text", out var t) ? t.GetString() : i.ToString()));
        }
        return value.GetRawText();
    }
}
