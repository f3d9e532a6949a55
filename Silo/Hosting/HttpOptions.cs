namespace Herald.Silo.Hosting;

/// <summary>The silo's HTTP endpoint (health, and next the API and pages): section <c>Herald:Http</c>.</summary>
public sealed class HttpOptions
{
    public const string Section = "Herald:Http";

    /// <summary>Where to listen. Loopback by default; a pod listens on all addresses (<c>http://0.0.0.0:8080</c>).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The bearer token mutating endpoints require.</summary>
    public string? ApiToken { get; set; }
}
