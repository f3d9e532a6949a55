using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Pipelines;
using Herald.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Silo.Api;

/// <summary>Body of <c>POST /api/annotate</c>: a text (with an optional title) or a whole document, and a pipeline.</summary>
public sealed record AnnotateRequest(string? Pipeline, string? Text, string? Title, JsonObject? Document, bool Publish = false);

/// <summary>Ad-hoc classification and document look-up.</summary>
public static class AnnotateEndpoints
{
    private const int MaxTextLength = 200_000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/annotate", AnnotateAsync).RequireRateLimiting(ApiRoutes.AnnotateLimit)
            .WithSummary("Runs a text or document through a pipeline and returns all its annotations")
            .WithDescription("Synchronous and bounded by Herald:Http:AnnotateTimeoutSeconds. Nothing is written to the central topic unless publish is true (which needs the bearer token).")
            .Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(429).ProducesProblem(504);
        api.MapGet("/documents/{pipeline}/{id}", GetAsync)
            .WithSummary("A document's current state and annotations in a pipeline, in the central topic's record format")
            .Produces(200, contentType: "application/json").ProducesProblem(404);
    }

    private static async Task<IResult> AnnotateAsync(AnnotateRequest? request, IGrainFactory grains, PipelineRegistry pipelines, BearerToken token,
        IOptions<HttpOptions> options, HttpContext http)
    {
        if (request is null) return Problems.BadRequest("the body must be JSON: {\"pipeline\": \"news\", \"text\": \"...\"} or {\"pipeline\": \"news\", \"document\": {...}}");
        if (string.IsNullOrWhiteSpace(request.Pipeline)) return Problems.BadRequest("'pipeline' is required");
        if ((request.Text is null) == (request.Document is null)) return Problems.BadRequest("give exactly one of 'text' and 'document'");
        if (request.Text is { Length: > MaxTextLength }) return Problems.BadRequest($"'text' is longer than {MaxTextLength} characters");
        if (request.Publish && token.Refusal(http.Request) is { } refusal) return refusal;
        if (pipelines.Find(request.Pipeline) is null)
            return Problems.NotFound($"no pipeline '{request.Pipeline}' is deployed (deployed: {string.Join(", ", pipelines.Current.Select(p => p.Tag))})");

        DocumentInput document;
        try
        {
            var json = request.Document ?? new JsonObject { ["text"] = request.Text };
            if (request.Document is null && request.Title is not null) json["title"] = request.Title;
            json["id"] ??= $"adhoc-{Guid.NewGuid():n}";
            document = DocumentParser.Parse(json.ToJsonString());
        }
        catch (InvalidDocumentException e)
        {
            return Problems.BadRequest($"the document is not valid: {e.Message}");
        }

        var timeout = TimeSpan.FromSeconds(options.Value.AnnotateTimeoutSeconds);
        try
        {
            var snapshot = await grains.GetGrain<IAdhocAnnotationGrain>(0).AnnotateAsync(request.Pipeline, document, request.Publish).WaitAsync(timeout, http.RequestAborted);
            return Results.Bytes(DocumentSnapshotJson.ToUtf8(snapshot), "application/json");
        }
        catch (TimeoutException)
        {
            return Problems.Timeout($"the pipeline did not finish within {timeout.TotalSeconds:0.#} s");
        }
    }

    private static async Task<IResult> GetAsync(string pipeline, string id, IGrainFactory grains, PipelineRegistry pipelines)
    {
        var snapshot = await grains.GetGrain<IDocumentGrain>(DocumentKey.Format(pipeline, id)).GetAsync();
        return snapshot is null
            ? Problems.NotFound($"document '{id}' is not known in pipeline '{pipeline}' (never submitted, or forgotten by the in-memory store)")
            : Results.Bytes(DocumentSnapshotJson.ToUtf8(snapshot), "application/json");
    }
}
