using System.Text.Json;
using System.Text.Json.Nodes;
using static Herald.Annotators.JsonFields;

namespace Herald.Annotators.Rules;

/// <summary>Which dependencies play which role for <see cref="SignalAssembler"/>; each names an annotator in <c>requires</c>.</summary>
public sealed class SignalOptions
{
    /// <summary>Classifier whose <c>label</c> is the signal type (funding_round, acquisition, ...).</summary>
    public string Type { get; set; } = "event-type";
    public string Money { get; set; } = "money";
    public string Dates { get; set; } = "dates";
    public string Entities { get; set; } = "entities";

    /// <summary>A role model's annotation (<c>onnx-role-head</c>): when it is among the dependencies, parties, amount and title come from it.</summary>
    public string Roles { get; set; } = "roles";
}

/// <summary>
/// Combines its dependencies into one business-signal record: the type, the headline amount, the date,
/// the companies and people involved (with roles when the entity annotator gives them) and the spans
/// that are its evidence. With a role model among its dependencies the parties, the amount the event is about and the
/// appointee's title are the model's; without one, word rules assign roles and the largest amount stands. Roles it
/// cannot fill stay null or empty rather than guessed.
/// </summary>
public sealed class SignalAssembler(SignalOptions options) : IAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<SignalOptions>(
        "signal", "assembles a business signal from its dependencies' outputs", (o, _) => new SignalAssembler(o));

    public ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var type = input.Dependency(options.Type)?.Value;
        var evidence = new JsonArray();
        var roles = input.Dependency(options.Roles);
        var signal = new JsonObject
        {
            ["type"] = type is { } t ? Property(t, "label") : null,
            ["confidence"] = type is { } s ? Property(s, "score") : null,
            ["amount"] = roles is null ? Largest(input.Dependency(options.Money), evidence) : ModelAmount(roles.Value, evidence),
            ["date"] = FirstDate(input.Dependency(options.Dates), evidence),
        };
        var label = type is { } l && l.ValueKind == JsonValueKind.Object && l.TryGetProperty("label", out var v) ? v.GetString() : null;
        var (companies, people) = roles is null
            ? Parties(input.Document.Text, label, input.Dependency(options.Entities), evidence)
            : ModelParties(roles.Value, evidence);
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

    private static JsonNode? ModelAmount(JsonElement roles, JsonArray evidence)
    {
        if (Property(roles, "amount") is not JsonObject amount) return null;
        amount.Remove("score");
        AddEvidence(evidence, "amount", amount);
        return amount;
    }

    /// <summary>The role model's parties, one entry per name; the appointee carries the title it found.</summary>
    private static (JsonArray Companies, JsonArray People) ModelParties(JsonElement roles, JsonArray evidence)
    {
        var (companies, people) = (new JsonArray(), new JsonArray());
        var title = Property(roles, "title") as JsonObject;
        if (!roles.TryGetProperty("parties", out var parties) || parties.ValueKind != JsonValueKind.Array) return (companies, people);
        foreach (var party in parties.EnumerateArray())
        {
            var (name, role, label) = (String(party, "name"), String(party, "role"), String(party, "label"));
            if (name is null || label is not ("ORG" or "PER")) continue;
            evidence.Add(new JsonObject { ["label"] = label, ["start"] = Int(party, "start"), ["end"] = Int(party, "end"), ["text"] = name });
            var entry = new JsonObject { ["name"] = name, ["role"] = role is null or "none" ? null : role };
            if (label == "PER") entry["title"] = role == "appointee" ? (string?)title?["text"] : null;
            (label == "ORG" ? companies : people).Add(entry);
        }
        if (title is not null) AddEvidence(evidence, "title", title);
        return (companies, people);
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

    private static (JsonArray Companies, JsonArray People) Parties(string text, string? type, DependencyResult? entities, JsonArray evidence)
    {
        var companies = new JsonArray();
        var people = new JsonArray();
        if (entities is null || !entities.Value.TryGetProperty("entities", out var list) || list.ValueKind != JsonValueKind.Array)
            return (companies, people);
        var found = list.EnumerateArray()
            .Select(e => (Text: String(e, "text"), Label: String(e, "label"), Start: Int(e, "start"), End: Int(e, "end")))
            .Where(e => e is { Text: not null, Label: "ORG" or "PER", Start: >= 0 } && e.End <= text.Length)
            .Select(e => (e.Text!, e.Label!, e.Start, e.End));
        var entries = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var party in PartyRoles.Assign(text, type, found))
        {
            evidence.Add(new JsonObject { ["label"] = party.Label, ["start"] = party.Start, ["end"] = party.End, ["text"] = party.Name });
            if (entries.TryGetValue(party.Name, out var seen) || (seen = ShortFormOf(party, entries)) is not null)
            {
                // A name mentioned again takes the role of its first mention that has one.
                seen["role"] ??= party.Role;
                if (party.Label == "PER") seen["title"] ??= party.Title;
                continue;
            }
            var entry = entries[party.Name] = new JsonObject { ["name"] = party.Name, ["role"] = party.Role };
            if (party.Label == "PER") entry["title"] = party.Title;
            (party.Label == "ORG" ? companies : people).Add(entry);
        }
        return (companies, people);
    }

    /// <summary>The entry a later short mention refers to: a person's surname ("Lindqvist"), a company's leading words ("Skyloom").</summary>
    private static JsonObject? ShortFormOf(Party party, Dictionary<string, JsonObject> entries) => entries
        .Where(e => party.Label == "PER" ? e.Key.EndsWith(" " + party.Name, StringComparison.OrdinalIgnoreCase)
                                         : e.Key.StartsWith(party.Name + " ", StringComparison.OrdinalIgnoreCase))
        .Select(e => e.Value)
        .FirstOrDefault(e => e.ContainsKey("title") == (party.Label == "PER"));


    private static void AddEvidence(JsonArray evidence, string label, JsonObject source)
    {
        if (source["start"] is JsonValue start && source["end"] is JsonValue end)
            evidence.Add(new JsonObject { ["label"] = label, ["start"] = start.GetValue<int>(), ["end"] = end.GetValue<int>(), ["text"] = source["text"]?.DeepClone() });
    }

    private static JsonNode? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? JsonNode.Parse(value.GetRawText()) : null;
}
