using System.Text.Json;

namespace Herald.Annotators.Onnx.Serving;

/// <summary>Reads the parts of a Hugging Face model's config.json that serving needs.</summary>
internal static class HuggingFaceConfig
{
    /// <summary>The <c>id2label</c> map as an array indexed by id.</summary>
    public static string[] Id2Label(string path)
    {
        try
        {
            using var config = JsonDocument.Parse(File.ReadAllText(path));
            if (!config.RootElement.TryGetProperty("id2label", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new AnnotatorConfigurationException($"labels file {path} has no 'id2label' object");
            var entries = map.EnumerateObject()
                .Select(p => (Id: int.TryParse(p.Name, out var id) ? id : -1, Label: p.Value.GetString() ?? ""))
                .OrderBy(e => e.Id)
                .ToArray();
            if (entries.Where((e, i) => e.Id != i).Any())
                throw new AnnotatorConfigurationException($"labels file {path}: 'id2label' ids must be 0..{entries.Length - 1}");
            return [.. entries.Select(e => e.Label)];
        }
        catch (JsonException e)
        {
            throw new AnnotatorConfigurationException($"labels file {path} is not valid JSON: {e.Message}", e);
        }
    }
}
