using System.Security.Cryptography;
using System.Text;
using Herald.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Silo.Api;

/// <summary>
/// Guards mutating endpoints: with a token configured, the request must carry <c>Authorization: Bearer TOKEN</c>;
/// with mutations disabled they answer 403. Tokens are compared in constant time.
/// </summary>
public sealed class BearerToken(IOptions<HttpOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext.Request.Headers.Authorization.ToString()) ?? await next(context);

    public IResult? Refusal(string authorization)
    {
        var http = options.Value;
        if (!http.Mutations) return Problems.Forbidden("mutating endpoints are disabled on this silo (Herald:Http:Mutations=false)");
        if (string.IsNullOrWhiteSpace(http.ApiToken)) return null;
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Problems.Unauthorized("this endpoint changes the cluster: send Authorization: Bearer <token> (Herald:Http:ApiToken)");
        var given = Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim());
        // Trimmed both sides: a token read from a secret file often ends with a newline.
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(http.ApiToken.Trim())) ? null : Problems.Unauthorized("the bearer token is not valid");
    }
}
