using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Annotators.Onnx.Heads;

namespace Herald.Cli.Training.Entities;

/// <summary>A labelled span of an example's text: a company or person with its role, or the appointee's title.</summary>
internal sealed record LabelledSpan(string Label, string Role, int Start, int End);

/// <summary>The amount the event is about, as labelled: where it is, and (for the samples) its value and currency.</summary>
internal sealed record LabelledAmount(int Start, int End, decimal? Value, string? Currency);

/// <summary>
/// One entity-and-role example (models/training/entities/*.jsonl, or a sample with its labels in
/// samples/news.entities.jsonl): the text, its event, every mention of every labelled name, the headline amount and the
/// appointee's title. A name labelled once stands for all its whole-word occurrences; longer names claim text first.
/// </summary>
internal sealed record EntityExample(string Id, string? Title, string Text, string Event, IReadOnlyList<LabelledSpan> Mentions, LabelledAmount? Amount, LabelledSpan? JobTitle)
{
    public const string TitleLabel = "TITLE";

    /// <summary>A fixed sixth of the training examples, by a hash of the text: the same split on every machine and run.</summary>
    public bool IsHeldOut => LabelledExample.StableHash(Text) % 6 == 0;

    /// <summary>Every *.jsonl of a folder (or one file) of training examples.</summary>
    public static IReadOnlyList<EntityExample> ReadTraining(string path)
    {
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.jsonl").Order(StringComparer.Ordinal).ToArray() : [path];
        return [.. files.SelectMany(file => File.ReadLines(file).Select((line, i) => (line, i)).Where(l => l.line.Trim().Length > 0)
            .Select(l => Parse($"{file}:{l.i + 1}", l.line, text: null, id: null, title: null)))];
    }

    /// <summary>The sample documents with their labels: entities are in each document's text (not its title).</summary>
    public static IReadOnlyList<EntityExample> ReadSamples(string documentsPath, string labelsPath)
    {
        var documents = File.ReadLines(documentsPath).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!)
            .ToDictionary(d => (string)d["id"]!);
        return [.. File.ReadLines(labelsPath).Select((line, i) => (line, i)).Where(l => l.line.Trim().Length > 0).Select(l =>
        {
            var id = (string?)JsonNode.Parse(l.line)?["id"] ?? throw new FormatException($"{labelsPath}:{l.i + 1}: needs \"id\"");
            var document = documents.GetValueOrDefault(id) ?? throw new FormatException($"{labelsPath}:{l.i + 1}: no document {id} in {documentsPath}");
            return Parse($"{labelsPath}:{l.i + 1}", l.line, (string)document["text"]!, id, (string?)document["title"]);
        })];
    }

    private static EntityExample Parse(string where, string line, string? text, string? id, string? title)
    {
        JsonNode item;
        try
        {
            item = JsonNode.Parse(line) ?? throw new FormatException($"{where}: null");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"{where}: not valid JSON: {e.Message}", e);
        }
        text ??= (string?)item["text"] ?? throw new FormatException($"{where}: needs \"text\"");
        var eventType = (string?)item["event"];
        if (!SpanFeatures.EventTypes.Contains(eventType)) throw new FormatException($"{where}: \"event\" must be one of {string.Join(", ", SpanFeatures.EventTypes)}");
        var claimed = new bool[text.Length];
        var mentions = new List<LabelledSpan>();
        var names = (item["entities"] as JsonArray ?? throw new FormatException($"{where}: needs \"entities\" (a list)"))
            .Select(e => (Text: (string?)e?["text"], Label: (string?)e?["label"], Role: (string?)e?["role"])).ToList();
        foreach (var name in names.OrderByDescending(n => n.Text?.Length ?? 0))
        {
            if (string.IsNullOrEmpty(name.Text) || name.Label is not ("ORG" or "PER") || name.Role is null || !SignalRoles.Labels.Contains(name.Role))
                throw new FormatException($"{where}: entity {name.Text} needs a text, label ORG or PER and a role of {string.Join(", ", SignalRoles.Labels.Take(9))}");
            var found = Occurrences(text, name.Text).Where(o => !claimed.AsSpan(o.Start, o.End - o.Start).Contains(true)).ToList();
            if (found.Count == 0) throw new FormatException($"{where}: entity \"{name.Text}\" is not a whole word of the text");
            foreach (var (start, end) in found)
            {
                claimed.AsSpan(start, end - start).Fill(true);
                mentions.Add(new LabelledSpan(name.Label, name.Role, start, end));
            }
        }
        var amount = Find(where, text, (string?)item["amount"], "amount") is { } a
            ? new LabelledAmount(a.Start, a.End, (decimal?)item["value"], (string?)item["currency"]) : null;
        var jobTitle = Find(where, text, (string?)item["title"], "title") is { } t ? new LabelledSpan(TitleLabel, SignalRoles.None, t.Start, t.End) : null;
        if (jobTitle is not null && claimed.AsSpan(jobTitle.Start, jobTitle.End - jobTitle.Start).Contains(true)) jobTitle = null; // a title inside a name ("Chief" of a company)
        return new EntityExample(id ?? "", title, text, eventType!, [.. mentions.OrderBy(m => m.Start)], amount, jobTitle);
    }

    private static (int Start, int End)? Find(string where, string text, string? value, string field)
    {
        if (value is null) return null;
        var at = text.IndexOf(value, StringComparison.Ordinal);
        return at < 0 ? throw new FormatException($"{where}: {field} \"{value}\" is not in the text") : (at, at + value.Length);
    }

    private static IEnumerable<(int Start, int End)> Occurrences(string text, string name) =>
        Regex.Matches(text, $@"(?<![\w]){Regex.Escape(name)}(?![\w])").Select(m => (m.Index, m.Index + m.Length));
}
