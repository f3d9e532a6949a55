using Microsoft.Extensions.Options;

namespace Herald.Silo.Hosting;

/// <summary>The silo's HTTP endpoint (health, and next the API and pages): section <c>Herald:Http</c>.</summary>
public sealed class HttpOptions
{
    public const string Section = "Herald:Http";

    /// <summary>Where to listen. Loopback by default; a pod listens on all addresses (<c>http://0.0.0.0:8080</c>).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The bearer token mutating endpoints require (deploy, retire, pause, resume, publishing annotate).</summary>
    public string? ApiToken { get; set; }

    /// <summary>Whether mutating endpoints exist at all. Without a token they are allowed only on a loopback address.</summary>
    public bool Mutations { get; set; } = true;

    /// <summary>Largest request body accepted (pipeline YAML, documents to annotate).</summary>
    public long MaxRequestBytes { get; set; } = 1_000_000;

    /// <summary>Longest document text <c>/api/annotate</c> takes, in characters (413 beyond).</summary>
    public int MaxTextLength { get; set; } = 200_000;

    /// <summary>The longest an ad-hoc annotation may take before the caller gets 504.</summary>
    public double AnnotateTimeoutSeconds { get; set; } = 30;

    /// <summary>Ad-hoc annotations run at once (twice as many more wait; beyond that, 429).</summary>
    public int AnnotateConcurrency { get; set; } = 32;

    /// <summary>Every address in <paramref name="urls"/> is loopback: then only loopback host names are accepted (no DNS rebinding).</summary>
    public static bool AllLoopback(string urls) => NonLoopback(urls).Count == 0;

    /// <summary>The listening addresses that other machines can reach (wildcards * and + are all addresses).</summary>
    internal static List<string> NonLoopback(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(url => !Uri.TryCreate(url.Replace("*", "0.0.0.0").Replace("+", "0.0.0.0"), UriKind.Absolute, out var uri)
                      || !(uri.IsLoopback || uri.Host == "localhost"))
        .ToList();
}

/// <summary>Fails start-up, naming every problem, when the HTTP options are unsafe or impossible.</summary>
internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var problems = new List<string>();
        // Whitespace is no token: BearerToken treats it as none.
        var exposed = HttpOptions.NonLoopback(options.Urls);
        if (options.Mutations && string.IsNullOrWhiteSpace(options.ApiToken) && exposed.Count > 0)
            problems.Add($"Herald:Http:Urls {string.Join(", ", exposed)} is not a loopback address, and mutations are enabled without Herald:Http:ApiToken: " +
                         "set a token (Herald__Http__ApiToken) or Herald:Http:Mutations=false");
        if (options.MaxRequestBytes < 1024) problems.Add($"Herald:Http:MaxRequestBytes ({options.MaxRequestBytes}) must be at least 1024");
        if (options.MaxTextLength < 1) problems.Add($"Herald:Http:MaxTextLength ({options.MaxTextLength}) must be at least 1");
        if (options.AnnotateTimeoutSeconds <= 0) problems.Add($"Herald:Http:AnnotateTimeoutSeconds ({options.AnnotateTimeoutSeconds}) must be positive");
        if (options.AnnotateConcurrency < 1) problems.Add($"Herald:Http:AnnotateConcurrency ({options.AnnotateConcurrency}) must be at least 1");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
