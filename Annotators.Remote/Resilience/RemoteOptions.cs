namespace Herald.Annotators.Remote.Resilience;

/// <summary>Options every remote kind takes: how many calls at once, and when its circuit opens.</summary>
public abstract class RemoteOptions
{
    /// <summary>Calls (or batches, for <c>inference</c>) in flight at once from one silo; more wait their turn.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>The circuit opens when at least this many calls in 10 s were made and half of them failed.</summary>
    public int BreakAfter { get; set; } = 5;

    /// <summary>How long an open circuit fails calls at once before letting one through to probe the service.</summary>
    public int BreakForMs { get; set; } = 30_000;

    /// <summary>Checks the common options; throws <see cref="AnnotatorConfigurationException"/> naming the first bad one.</summary>
    internal void ValidateLimits()
    {
        if (MaxConcurrency < 1) throw new AnnotatorConfigurationException($"option 'maxConcurrency' must be at least 1, not {MaxConcurrency}");
        if (BreakAfter < 2) throw new AnnotatorConfigurationException($"option 'breakAfter' must be at least 2, not {BreakAfter}");
        if (BreakForMs < 500) throw new AnnotatorConfigurationException($"option 'breakForMs' must be at least 500, not {BreakForMs}");
    }

    /// <summary>The <c>url</c> option as an absolute URL of one of <paramref name="schemes"/>.</summary>
    internal static Uri ValidateUrl(string? url, params string[] schemes)
    {
        if (string.IsNullOrWhiteSpace(url))
            throw new AnnotatorConfigurationException("option 'url' is required");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme))
            throw new AnnotatorConfigurationException($"option 'url' must be an absolute {string.Join(" or ", schemes)} URL, not '{url}'");
        return uri;
    }
}
