using System.Text.Json;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Pipelines;
using Herald.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Silo.Api;

/// <summary>
/// <c>POST /api/backfill</c>: one document run again on a pipeline's current version, recorded and published like a document from
/// Kafka, reusing the earlier results it is given where nothing they depend on changed (<c>herald backfill</c> sends them from the warehouse).
/// </summary>
internal static class BackfillEndpoints
{
    public static void Map(RouteGroupBuilder api, BearerToken token)
    {
        api.MapPost("/backfill", BackfillAsync).AddEndpointFilter(token)
            .WithSummary("Re-runs a document on a pipeline's current version, reusing unchanged annotations; answers the record")
            .WithDescription("Body: {\"pipeline\", \"document\": {...}, \"reuse\": [{\"name\", \"version\", \"value\", \"spans\"?, \"durationMs\"?, \"attempts\"?, \"at\"?}]}. " +
                             "An annotator is reused (marked \"reused\": true) when its name@version is given and every dependency was reused too. " +
                             "A document already complete on the current version is answered from its record.")
            .Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(504);
    }

    private static async Task<IResult> BackfillAsync(HttpContext http, IGrainFactory grains, PipelineRegistry pipelines, IOptions<HttpOptions> options)
    {
        AnnotateRequest request;
        AnnotationRecord[] reuse;
        try
        {
            using var body = await ApiBody.ReadJsonAsync(http);
            request = AnnotateRequest.Read(body.RootElement, options.Value.MaxTextLength);
            reuse = body.RootElement.TryGetProperty("reuse", out var given) ? ReadReuse(given) : [];
        }
        catch (RequestRefusedException e)
        {
            return e.Problem;
        }
        if (!request.HasOwnId) return Problems.BadRequest("a backfilled document needs its 'id'");
        if (pipelines.Find(request.Pipeline) is null) return Problems.NotDeployed(request.Pipeline, pipelines);
        var timeout = TimeSpan.FromSeconds(options.Value.AnnotateTimeoutSeconds);
        try
        {
            var snapshot = await grains.GetGrain<IDocumentGrain>(DocumentKey.Format(request.Pipeline, request.Document.Id))
                .BackfillAsync(request.Document, reuse).WaitAsync(timeout, http.RequestAborted);
            return Results.Bytes(DocumentSnapshotJson.ToUtf8(snapshot), "application/json");
        }
        catch (TimeoutException)
        {
            return Problems.Timeout($"the pipeline did not finish within {timeout.TotalSeconds:0.#} s");
        }
    }

    private static AnnotationRecord[] ReadReuse(JsonElement given)
    {
        if (given.ValueKind == JsonValueKind.Null) return [];
        if (given.ValueKind != JsonValueKind.Array) throw Bad("'reuse' must be an array of earlier annotations");
        return [.. given.EnumerateArray().Select((item, i) =>
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("value", out var value))
                throw Bad($"reuse[{i}] needs 'name', 'version' (strings) and 'value'");
            var spans = item.TryGetProperty("spans", out var s) && s.ValueKind == JsonValueKind.Array ? s.GetRawText() : null;
            var duration = item.TryGetProperty("durationMs", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : 0;
            var attempts = item.TryGetProperty("attempts", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt32() : 1;
            var at = item.TryGetProperty("at", out var t) && t.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(t.GetString(), out var parsed) ? parsed : DateTimeOffset.UtcNow;
            return new AnnotationRecord(name.GetString()!, version.GetString()!, AnnotationStatus.Done, new AnnotationOutput(value.GetRawText(), spans), null, duration, attempts, at);
        })];
    }

    private static RequestRefusedException Bad(string detail) => new(Problems.BadRequest(detail));
}
