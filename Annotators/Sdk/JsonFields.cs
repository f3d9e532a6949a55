using System.Text.Json;

namespace Herald.Annotators;

/// <summary>Fields of an element of another annotator's value: a missing or mistyped field reads as null (or -1), not as an exception.</summary>
public static class JsonFields
{
    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static int Int(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : -1;
}
