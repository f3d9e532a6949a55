using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Pipelines;
using Herald.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Silo.Api;

/// <summary>Ad-hoc classification and document look-up.</summary>
public static class AnnotateEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/annotate", AnnotateAsync).RequireRateLimiting(ApiRoutes.AnnotateLimit)
            .WithSummary("Runs a text or document through a pipeline and returns all its annotations")
            .WithDescription("Body: {\"pipeline\", \"text\", \"title\"?} or {\"pipeline\", \"document\": {...}}, and \"publish\"?. Synchronous and bounded by " +
                             "Herald:Http:AnnotateTimeoutSeconds. A document id that already completed is answered from its record. Nothing is written to " +
                             "the central topic unless publish is true (which needs the bearer token): then the document is recorded as if it came from Kafka.")
            .Accepts<JsonObject>("application/json")
            .Produces(200, contentType: "application/json")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429).ProducesProblem(504);
        // {**id}: a document id may hold '/', sent as is or as %2F; the id is read from the request's raw path (see DocumentIdOf).
        api.MapGet("/documents/{pipeline}/{**id}", GetAsync)
            .WithSummary("A document's current state and annotations in a pipeline, in the central topic's record format")
            .Produces(200, contentType: "application/json").ProducesProblem(404);
    }

    private static async Task<IResult> AnnotateAsync(HttpContext http, IGrainFactory grains, PipelineRegistry pipelines, BearerToken token, IOptions<HttpOptions> options)
    {
        AnnotateRequest request;
        try
        {
            using var body = await ApiBody.ReadJsonAsync(http);
            request = AnnotateRequest.Read(body.RootElement, options.Value.MaxTextLength);
        }
        catch (RequestRefusedException e)
        {
            return e.Problem;
        }
        if (request.Publish && token.Refusal(http.Request) is { } refusal) return refusal;
        if (pipelines.Find(request.Pipeline) is null)
            return Problems.NotDeployed(request.Pipeline, pipelines);

        var timeout = TimeSpan.FromSeconds(options.Value.AnnotateTimeoutSeconds);
        var recorded = grains.GetGrain<IDocumentGrain>(DocumentKey.Format(request.Pipeline, request.Document.Id));
        try
        {
            DocumentSnapshot snapshot;
            if (request.Publish)
            {
                // Recorded and published once per id, as a document from the input topic would be.
                snapshot = await recorded.ProcessAsync(request.Document).WaitAsync(timeout, http.RequestAborted);
            }
            else if (request.HasOwnId && await recorded.GetAsync() is { Status: DocumentStatus.Complete } existing)
            {
                // A completed id is answered from its record: annotators run once per document id.
                if (!existing.Document.SameContentAs(request.Document)) throw new ConflictingDocumentException(request.Pipeline, request.Document.Id);
                snapshot = existing;
            }
            else
            {
                snapshot = await grains.GetGrain<IAdhocAnnotationGrain>(0).AnnotateAsync(request.Pipeline, request.Document).WaitAsync(timeout, http.RequestAborted);
            }
            return Results.Bytes(DocumentSnapshotJson.ToUtf8(snapshot), "application/json");
        }
        catch (TimeoutException)
        {
            return Problems.Timeout($"the pipeline did not finish within {timeout.TotalSeconds:0.#} s");
        }
        catch (ConflictingDocumentException e)
        {
            return Problems.Conflict(e.Message);
        }
    }

    private static async Task<IResult> GetAsync(string pipeline, HttpContext http, IGrainFactory grains)
    {
        var id = DocumentIdOf(http, pipeline);
        var snapshot = await grains.GetGrain<IDocumentGrain>(DocumentKey.Format(pipeline, id)).GetAsync();
        return snapshot is null
            ? Problems.NotFound($"document '{id}' is not known in pipeline '{pipeline}' (never submitted, or forgotten by the in-memory store)")
            : Results.Bytes(DocumentSnapshotJson.ToUtf8(snapshot), "application/json");
    }

    /// <summary>
    /// The id as sent, from the raw request target: routing leaves %2F undecoded and decodes %25, so an id holding
    /// '/' or '%' could not be told apart from the route value. Here the path after the pipeline is unescaped once.
    /// </summary>
    private static string DocumentIdOf(HttpContext http, string pipeline)
    {
        var target = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        var path = target.Split('?', 2)[0];
        var prefix = $"/api/documents/{Uri.EscapeDataString(pipeline)}/";
        var at = path.IndexOf(prefix, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            // The pipeline segment was escaped differently: skip "/api/documents/" and one segment.
            var segments = path.Split('/', 5);
            return segments.Length == 5 ? Uri.UnescapeDataString(segments[4]) : "";
        }
        return Uri.UnescapeDataString(path[(at + prefix.Length)..]);
    }
}

/// <summary>
/// The body of <c>POST /api/annotate</c>, read by hand so that every refusal names its reason and the document inside
/// follows the input topic's rules exactly (<see cref="DocumentParser"/>): the same text checks, types and limits.
/// </summary>
internal sealed record AnnotateRequest(string Pipeline, DocumentInput Document, bool HasOwnId, bool Publish)
{
    private const string Shape = "the body must be {\"pipeline\": \"news\", \"text\": \"...\"} or {\"pipeline\": \"news\", \"document\": {...}}";

    /// <exception cref="RequestRefusedException">the request is not valid, with why.</exception>
    public static AnnotateRequest Read(JsonElement root, int maxTextLength)
    {
        if (root.ValueKind != JsonValueKind.Object) throw BadRequest($"{Shape}, not {Kind(root)}");
        var pipeline = OptionalString(root, "pipeline");
        var text = OptionalString(root, "text");
        var title = OptionalString(root, "title");
        if (string.IsNullOrWhiteSpace(pipeline)) throw BadRequest("'pipeline' is required");
        var publish = root.TryGetProperty("publish", out var flag) && flag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw BadRequest($"'publish' must be true or false, not {Kind(flag)}"),
        };
        var hasDocument = root.TryGetProperty("document", out var given) && given.ValueKind != JsonValueKind.Null;
        if (hasDocument == (text is not null)) throw BadRequest("give exactly one of 'text' and 'document'");
        if (hasDocument && given.ValueKind != JsonValueKind.Object) throw BadRequest($"'document' must be an object, not {Kind(given)}");

        DocumentInput document;
        bool hasOwnId;
        try
        {
            var json = hasDocument ? JsonNode.Parse(given.GetRawText())!.AsObject() : new JsonObject { ["text"] = text };
            if (!hasDocument && title is not null) json["title"] = title;
            hasOwnId = json["id"] is not null;
            if (!hasOwnId) json["id"] = $"adhoc-{Guid.NewGuid():n}";
            document = DocumentParser.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
        }
        catch (InvalidDocumentException e)
        {
            throw BadRequest($"the document is not valid: {e.Message}");
        }
        catch (ArgumentException e)
        {
            // JsonObject refuses a property named twice.
            throw BadRequest($"the document is not valid: {e.Message}");
        }
        if (document.Text.Length > maxTextLength)
            throw new RequestRefusedException(Problems.TooLarge($"'text' has {document.Text.Length} characters, more than Herald:Http:MaxTextLength ({maxTextLength})"));
        // The HTTP request's span (its caller's traceparent, when tracing is on) is the document's parent.
        return new AnnotateRequest(pipeline, document with { TraceParent = System.Diagnostics.Activity.Current?.Id }, hasOwnId, publish);
    }

    private static string? OptionalString(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null ? null
        : element.ValueKind == JsonValueKind.String ? element.GetString()
        : throw BadRequest($"'{name}' must be a string, not {Kind(element)}");

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static RequestRefusedException BadRequest(string detail) => new(Problems.BadRequest(detail));
}
