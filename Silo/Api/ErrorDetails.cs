using Herald.Silo.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Herald.Silo.Api;

/// <summary>
/// Every error answer is problem+json with a specific <c>detail</c>, including those ASP.NET Core writes without a
/// body (no route, wrong method, body too large, unsupported media type, a bad request it refused itself) and
/// unexpected exceptions.
/// </summary>
internal static class ErrorDetails
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null) return;
        var http = context.HttpContext;
        var request = $"{http.Request.Method} {http.Request.Path}";
        problem.Detail = problem.Status switch
        {
            400 => context.Exception is BadHttpRequestException bad ? $"the request is not valid: {bad.Message}" : $"{request} is not a valid request",
            404 => $"nothing at {request}: the API is under /api (see /openapi/v1.json)",
            405 => $"{http.Request.Method} is not allowed on {http.Request.Path}",
            413 => BodyTooLarge(http),
            415 => $"{request} does not take content type '{http.Request.ContentType ?? "none"}' (/openapi/v1.json lists what each endpoint takes)",
            >= 500 => $"{request} failed unexpectedly ({context.Exception?.GetType().Name ?? "error"}); the silo's log has the details",
            _ => null,
        };
        if (context.Exception is BadHttpRequestException { StatusCode: 413 }) problem.Detail = BodyTooLarge(http);
    }

    public static string BodyTooLarge(HttpContext http) =>
        $"the request body is larger than Herald:Http:MaxRequestBytes ({http.RequestServices.GetRequiredService<IOptions<HttpOptions>>().Value.MaxRequestBytes} bytes)";

    /// <summary>Problem+json for unhandled exceptions and for error statuses written without a body.</summary>
    public static void UseHeraldErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A bad request refused by the framework (a body too large, say) keeps its status instead of becoming a 500.
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
    }
}
