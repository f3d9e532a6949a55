using System.Net;

namespace Herald.Annotators.Remote.Resilience;

/// <summary>One connection pool for every remote annotator of the silo, and the one way their HTTP failures are worded.</summary>
internal static class RemoteHttp
{
    // Connections are recycled so DNS changes (a Kubernetes service moving) are seen; deadlines come from each call's token.
    private static readonly SocketsHttpHandler Handler = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AutomaticDecompression = DecompressionMethods.All,
    };

    public static HttpClient NewClient() => new(Handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Sends, and turns anything but a success into a <see cref="RemoteCallException"/> naming the method, URL and status.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteCallException($"{request.Method} {request.RequestUri} failed: {e.Message}", e);
        }
        if (response.IsSuccessStatusCode) return response;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.Dispose();
        throw new RemoteCallException(
            $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode} ({response.ReasonPhrase}){(body.Length == 0 ? "" : ": " + Shorten(body))}");
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
