using Herald.Annotators.Remote.Resilience;

namespace Herald.Annotators.Remote.Http;

/// <summary>Options of the <c>http</c> kind: a JSON webhook at <see cref="Url"/>.</summary>
public sealed class HttpAnnotatorOptions : RemoteOptions
{
    /// <summary>Where to POST each document.</summary>
    public string? Url { get; set; }

    /// <summary>Headers sent as written (content negotiation, routing); never secrets.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Headers whose value is read from an environment variable (header name -> variable name): credentials stay out of YAML.</summary>
    public Dictionary<string, string> HeadersFromEnv { get; set; } = [];
}
