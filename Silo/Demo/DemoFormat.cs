using System.Text;
using System.Text.Json;
using Herald.Grains.Documents;

namespace Herald.Silo.Demo;

/// <summary>Human-readable lines for the demo: one per document, and a closing summary.</summary>
internal static class DemoFormat
{
    public static string Line(DocumentSnapshot snapshot)
    {
        var line = new StringBuilder($"{snapshot.Id,-8}");
        foreach (var annotation in snapshot.Annotations)
        {
            line.Append("  ").Append(annotation.Name).Append('=');
            line.Append(annotation.Status switch
            {
                AnnotationStatus.Done => Describe(annotation.Output!.ValueJson),
                AnnotationStatus.Skipped => "skipped",
                _ => $"FAILED({annotation.Detail})",
            });
        }
        return line.ToString();
    }

    public static string Summary(IReadOnlyList<DocumentSnapshot> results, TimeSpan elapsed)
    {
        var signals = results
            .Select(r => r.Annotation("signal"))
            .Where(a => a?.Status == AnnotationStatus.Done)
            .Select(a => JsonDocument.Parse(a!.Output!.ValueJson).RootElement.GetProperty("type").GetString() ?? "unknown")
            .GroupBy(t => t)
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key}: {g.Count()}");
        var failed = results.Sum(r => r.Annotations.Count(a => a.Status == AnnotationStatus.Failed));
        return $"{results.Count} documents in {elapsed.TotalSeconds:0.00} s ({results.Count / elapsed.TotalSeconds:0} documents/s). "
             + $"Signals: {string.Join(", ", signals)}. Failed annotations: {failed}.";
    }

    /// <summary>A short rendering of an annotation value: a label, a count of items, or the raw JSON.</summary>
    private static string Describe(string valueJson)
    {
        var value = JsonDocument.Parse(valueJson).RootElement;
        if (value.ValueKind != JsonValueKind.Object) return valueJson;
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
        return valueJson;
    }
}
