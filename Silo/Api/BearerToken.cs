using System.Security.Cryptography;
using System.Text;
using Herald.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Silo.Api;

/// <summary>
/// Guards mutating endpoints: with a token configured, the request must carry <c>Authorization: Bearer TOKEN</c>;
/// without one (allowed on loopback only) it must carry <see cref="RequestHeader"/>, which a cross-site request from a
/// browser cannot; with mutations disabled they answer 403. Tokens are compared in constant time.
/// </summary>
public sealed class BearerToken(IOptions<HttpOptions> options) : IEndpointFilter
{
    /// <summary>Without a token (loopback only), mutations need this header: a web page elsewhere cannot make a browser send it.</summary>
    public const string RequestHeader = "X-Herald-Request";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext.Request) ?? await next(context);

    public IResult? Refusal(HttpRequest request)
    {
        var http = options.Value;
        var authorization = request.Headers.Authorization.ToString();
        if (!http.Mutations) return Problems.Forbidden("mutating endpoints are disabled on this silo (Herald:Http:Mutations=false)");
        if (string.IsNullOrWhiteSpace(http.ApiToken))
            return request.Headers.ContainsKey(RequestHeader) ? null
                : Problems.Forbidden($"without an API token, changes need the {RequestHeader} header (the Herald SDK, CLI and page send it)");
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Problems.Unauthorized("this endpoint changes the cluster: send Authorization: Bearer <token> (Herald:Http:ApiToken)");
        var given = Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim());
        // Trimmed both sides: a token read from a secret file often ends with a newline.
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(http.ApiToken.Trim())) ? null : Problems.Unauthorized("the bearer token is not valid");
    }
}
