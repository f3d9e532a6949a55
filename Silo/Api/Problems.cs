namespace Herald.Silo.Api;

/// <summary>RFC 9457 problem details with Herald's specific messages.</summary>
public static class Problems
{
    public static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: 400, title: "The request is not valid");

    public static IResult Unauthorized(string detail) => Results.Problem(detail, statusCode: 401, title: "Authentication required");

    public static IResult Forbidden(string detail) => Results.Problem(detail, statusCode: 403, title: "Not allowed");

    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: 404, title: "Not found");

    /// <summary>404 for a tag that names no deployed pipeline, listing those that are.</summary>
    public static IResult NotDeployed(string tag, Herald.Grains.Pipelines.PipelineRegistry registry) =>
        NotFound($"no pipeline '{tag}' is deployed (deployed: {string.Join(", ", registry.Current.Select(p => p.Tag))})");

    public static IResult Invalid(string detail, IEnumerable<string> errors) =>
        Results.Problem(detail, statusCode: 422, title: "The definition is not valid", extensions: new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    public static IResult Conflict(string detail) => Results.Problem(detail, statusCode: 409, title: "Conflict");

    public static IResult TooLarge(string detail) => Results.Problem(detail, statusCode: 413, title: "Too large");

    public static IResult TooBusy(string detail) => Results.Problem(detail, statusCode: 429, title: "Too many requests");

    public static IResult Timeout(string detail) => Results.Problem(detail, statusCode: 504, title: "Timed out");
}
