using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Cli.Commands;

/// <summary>Reads a JSONL file of documents, checking every line before anything is sent; problems name the line.</summary>
public static class DocumentsFile
{
    public static (List<JsonObject> Documents, List<string> Problems) Read(string path)
    {
        var (documents, problems) = (new List<JsonObject>(), new List<string>());
        if (!File.Exists(path)) return (documents, [$"{path} does not exist"]);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonNode.Parse(line) is not JsonObject document) problems.Add($"{path}:{number}: a document must be a JSON object");
                else if (document["id"] is not JsonValue id || id.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetValue<string>())) problems.Add($"{path}:{number}: 'id' (a non-empty string) is required");
                else if (document["text"] is not JsonValue text || text.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(text.GetValue<string>())) problems.Add($"{path}:{number}: 'text' (a non-empty string) is required");
                else documents.Add(document);
            }
            catch (JsonException e)
            {
                problems.Add($"{path}:{number}: not valid JSON: {e.Message}");
            }
        }
        return (documents, problems);
    }
}
