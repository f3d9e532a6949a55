using System.Text.Json;

namespace Herald.Cli.Training;

/// <summary>One labelled training example: <c>{"text", "relevant", "label"}</c>.</summary>
public sealed record LabelledExample(string Text, bool Relevant, string Label)
{
    /// <summary>
    /// A fixed fifth of the examples, chosen by a hash of the text, is held out: the same split on every machine and
    /// every run, and an example stays on its side when others are added.
    /// </summary>
    public bool IsHeldOut => StableHash(Text) % 5 == 0;

    public static IReadOnlyList<LabelledExample> Read(string path) =>
        [.. File.ReadLines(path).Select((line, i) => (line, i)).Where(l => l.line.Trim().Length > 0).Select(l => Parse(path, l.line, l.i + 1))];

    private static LabelledExample Parse(string path, string line, int number)
    {
        try
        {
            var example = JsonSerializer.Deserialize<LabelledExample>(line, JsonSerializerOptions.Web);
            if (example is null || string.IsNullOrWhiteSpace(example.Text) || string.IsNullOrWhiteSpace(example.Label))
                throw new FormatException($"{path}:{number}: needs \"text\" and \"label\"");
            return example;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}:{number}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>FNV-1a of the text: string.GetHashCode differs between processes, and a split must not.</summary>
    internal static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
