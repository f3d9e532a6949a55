using System.Text.Json;
using System.Text.Json.Nodes;
using static Herald.Annotators.JsonFields;
using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Serving;

namespace Herald.Annotators.Onnx.Heads;

/// <summary>Options of the <c>onnx-role-head</c> kind: the head file, and which dependencies are its encoder, entities, event type and money.</summary>
internal sealed class OnnxRoleHeadOptions
{
    /// <summary>The head (.onnx, relative to the pipeline file) that <c>herald models train</c> writes: roles-1.onnx.</summary>
    public string? Model { get; set; }

    public string Encoder { get; set; } = "embedding";
    public string Entities { get; set; } = "entities";
    public string Type { get; set; } = "event-type";
    public string Money { get; set; } = "money";
    public int Threads { get; set; } = 1;
}

/// <summary>
/// The signal's parties in their roles (investee/investor, acquirer/target, employer/former_employer,
/// appointee/predecessor, or none), the amount the event is about (not the largest: "raises $75 million, bringing its
/// total to $120 million" is $75 million) and the appointee's title, from a head over the encoder's word states.
/// Value <c>{"parties": [{"name", "label", "role", "score", "start", "end"}], "amount": {...} | null, "title": {...} | null}</c>.
/// </summary>
internal sealed class OnnxRoleHead(RoleHead head, string? trainedOn, OnnxRoleHeadOptions options) : IAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<OnnxRoleHeadOptions>(
        "onnx-role-head", "roles of a signal's parties, its amount and the appointee's title, from a head over the encoder's word states", Create,
        (options, spec) => ModelFiles.Resolve("model", options.Model, spec));

    private static OnnxRoleHead Create(OnnxRoleHeadOptions options, AnnotatorSpec spec)
    {
        var path = ModelFiles.Resolve("model", options.Model, spec);
        var head = ModelCache.GetOrLoad((path, options.Threads), () => new RoleHead(new ClassificationHead(path, null, null, options.Threads, 1, TimeSpan.Zero)), path);
        return new OnnxRoleHead(head, EncodedDocument.EncoderOf(head.Model), options);
    }

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var (states, offset) = await EncodedDocument.WordsAsync(input, options.Encoder, trainedOn, cancellationToken);
        var eventType = input.Dependency(options.Type) is { } type && type.Value.ValueKind == JsonValueKind.Object
            && type.Value.TryGetProperty("label", out var label) ? label.GetString() : null;
        var entities = Items(input.Dependency(options.Entities), "entities").ToList();
        var amounts = Items(input.Dependency(options.Money), "amounts").ToList();
        var text = input.Document.Text;
        var candidates = RoleCandidate.Of(text, entities.Select(e => (String(e, "label"), Int(e, "start"), Int(e, "end"))),
            amounts.Select(a => (Int(a, "start"), Int(a, "end"))));
        var assigned = head.Assign(states, offset, eventType, candidates);

        var parties = new JsonArray();
        foreach (var name in assigned.Where(a => a.Span.Kind is SpanKind.Organization or SpanKind.Person).GroupBy(a => (a.Span.Text, a.Span.Kind)))
        {
            var first = name.First();
            parties.Add(new JsonObject
            {
                ["name"] = first.Span.Text, ["label"] = first.Span.Kind == SpanKind.Person ? "PER" : "ORG", ["role"] = first.Role,
                ["score"] = first.Score, ["start"] = first.Span.Start, ["end"] = first.Span.End,
            });
        }
        var amount = RoleHead.Amount(assigned);
        JsonObject? amountValue = null;
        if (amount is not null)
        {
            // The money annotation's own entry (value, currency, text, offsets), with how likely it is the event's.
            amountValue = JsonNode.Parse(amounts.First(a => Int(a, "start") == amount.Start).GetRawText())!.AsObject();
            amountValue["score"] = assigned.First(r => r.Span == amount).Score;
        }
        var title = eventType == "leadership_hire" ? RoleHead.Title(assigned) : null;
        var spans = assigned.Where(a => a.Role is not (SignalRoles.None or SignalRoles.OtherAmount or SignalRoles.OtherTitle))
            .Select(a => new AnnotationSpan(a.Span.Start, a.Span.End, a.Role, a.Score, a.Span.Text)).ToList();
        return new Annotation(new JsonObject
        {
            ["event"] = eventType,
            ["parties"] = parties,
            ["amount"] = amountValue,
            ["title"] = title is { } t ? new JsonObject { ["text"] = t.Text, ["start"] = t.Start, ["end"] = t.End } : null,
        }, spans.OrderBy(s => s.Start).ToList());
    }

    private static IEnumerable<JsonElement> Items(DependencyResult? dependency, string list) =>
        dependency is not null && dependency.Value.ValueKind == JsonValueKind.Object && dependency.Value.TryGetProperty(list, out var items)
        && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

}
