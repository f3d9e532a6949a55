using System.Text.Json.Nodes;
using Herald.Annotators;

namespace Herald.Tests.Annotators;

/// <summary>Builds annotators through their kind (so option binding runs) and documents as Herald receives them.</summary>
internal static class AnnotatorTestKit
{
    public static IAnnotator Create(AnnotatorKind kind, JsonObject? options = null) =>
        kind.Create(new AnnotatorSpec("test-" + kind.Name, "1.0.0", kind.Name, options ?? [], "/tmp"));

    /// <summary>The item's text is <paramref name="expectedText"/>, and its offsets point at that text's first occurrence.</summary>
    public static void AssertLocated(JsonNode item, string text, string expectedText)
    {
        Assert.Equal(expectedText, (string)item["text"]!);
        var (start, end) = ((int)item["start"]!, (int)item["end"]!);
        Assert.Equal(text.IndexOf(expectedText, StringComparison.Ordinal), start);
        Assert.Equal(expectedText, text.Substring(start, end - start));
    }

    public static AnnotatorInput Input(string text, string? title = null, JsonObject? extraFields = null)
    {
        var json = new JsonObject { ["id"] = "doc-1", ["text"] = text };
        if (title is not null)
            json["title"] = title;
        foreach (var (key, value) in extraFields ?? [])
            json[key] = value?.DeepClone();
        return new AnnotatorInput(new AnnotatorDocument("doc-1", text, title, json.ToJsonString()), new Dictionary<string, DependencyResult>());
    }
}
