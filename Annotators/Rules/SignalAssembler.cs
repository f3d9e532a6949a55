using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Annotators.Rules;

/// <summary>Which dependencies play which role for <see cref="SignalAssembler"/>; each names an annotator in <c>requires</c>.</summary>
public sealed class SignalOptions
{
    /// <summary>Classifier whose <c>label</c> is the signal type (funding_round, acquisition, ...).</summary>
    public string Type { get; set; } = "event-type";
    public string Money { get; set; } = "money";
    public string Dates { get; set; } = "dates";
    public string Entities { get; set; } = "entities";
}

/// <summary>
/// Combines its dependencies into one business-signal record: the type, the headline amount, the date,
/// the companies and people involved (with roles when the entity annotator gives them) and the spans
/// that are its evidence. Roles it cannot fill stay null or empty rather than guessed.
/// </summary>
public sealed class SignalAssembler(SignalOptions options) : IAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<SignalOptions>(
        "signal", "assembles a business signal from its dependencies' outputs", (o, _) => new SignalAssembler(o));

    public ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var type = input.Dependency(options.Type)?.Value;
        var evidence = new JsonArray();
        var signal = new JsonObject
        {
            ["type"] = type is { } t ? Property(t, "label") : null,
            ["confidence"] = type is { } s ? Property(s, "score") : null,
            ["amount"] = Largest(input.Dependency(options.Money), evidence),
            ["date"] = FirstDate(input.Dependency(options.Dates), evidence),
        };
        var (companies, people) = Parties(input.Dependency(options.Entities), evidence);
        signal["companies"] = companies;
        signal["people"] = people;
        signal["evidence"] = evidence;
        return ValueTask.FromResult(Annotation.Of(signal));
    }

    private static JsonNode? Largest(DependencyResult? money, JsonArray evidence)
    {
        if (money is null || Property(money.Value, "largest") is not JsonObject largest) return null;
        AddEvidence(evidence, "amount", largest);
        return largest;
    }

    private static JsonNode? FirstDate(DependencyResult? dates, JsonArray evidence)
    {
        if (dates is null || !dates.Value.TryGetProperty("dates", out var list) || list.ValueKind != JsonValueKind.Array) return null;
        // Prefer an absolute, resolved date: relative ones ("last week") are weaker evidence.
        var candidates = list.EnumerateArray().Where(d => d.TryGetProperty("date", out var v) && v.ValueKind == JsonValueKind.String).ToList();
        var best = candidates.FirstOrDefault(d => !d.TryGetProperty("relative", out var r) || r.ValueKind != JsonValueKind.True);
        if (best.ValueKind == JsonValueKind.Undefined) best = candidates.FirstOrDefault();
        if (best.ValueKind == JsonValueKind.Undefined) return null;
        var node = JsonNode.Parse(best.GetRawText())!.AsObject();
        AddEvidence(evidence, "date", node);
        return node;
    }

    private static (JsonArray Companies, JsonArray People) Parties(DependencyResult? entities, JsonArray evidence)
    {
        var companies = new JsonArray();
        var people = new JsonArray();
        if (entities is null || !entities.Value.TryGetProperty("entities", out var list) || list.ValueKind != JsonValueKind.Array)
            return (companies, people);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entity in list.EnumerateArray())
        {
            var text = entity.TryGetProperty("text", out var t) ? t.GetString() : null;
            var label = entity.TryGetProperty("label", out var l) ? l.GetString() : null;
            if (text is null || !seen.Add(label + "|" + text)) continue;
            var party = new JsonObject
            {
                ["name"] = text,
                ["role"] = entity.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString() : null,
            };
            if (label == "ORG") companies.Add(party);
            else if (label == "PER") people.Add(party);
            else continue;
            AddEvidence(evidence, label!, JsonNode.Parse(entity.GetRawText())!.AsObject());
        }
        return (companies, people);
    }

    private static void AddEvidence(JsonArray evidence, string label, JsonObject source)
    {
        if (source["start"] is JsonValue start && source["end"] is JsonValue end)
            evidence.Add(new JsonObject { ["label"] = label, ["start"] = start.GetValue<int>(), ["end"] = end.GetValue<int>(), ["text"] = source["text"]?.DeepClone() });
    }

    private static JsonNode? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? JsonNode.Parse(value.GetRawText()) : null;
}
