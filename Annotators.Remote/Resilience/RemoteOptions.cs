namespace Herald.Annotators.Remote.Resilience;

/// <summary>Options every remote kind takes: where it calls, how many calls at once, when its circuit opens.</summary>
public abstract class RemoteOptions
{
    /// <summary>The service's base URL.</summary>
    public string? Url { get; set; }

    /// <summary>Calls (or batches, for <c>inference</c>) in flight at once from one silo; more wait their turn.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>The circuit opens when at least this many calls in 10 s were made and half of them failed.</summary>
    public int BreakAfter { get; set; } = 5;

    /// <summary>How long an open circuit fails calls at once before letting one through to probe the service.</summary>
    public int BreakForMs { get; set; } = 30_000;

    /// <summary>Checks the common options; throws <see cref="AnnotatorConfigurationException"/> naming the first bad one.</summary>
    internal Uri Validate(params string[] schemes)
    {
        if (string.IsNullOrWhiteSpace(Url))
            throw new AnnotatorConfigurationException("option 'url' is required");
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme))
            throw new AnnotatorConfigurationException($"option 'url' must be an absolute {string.Join(" or ", schemes)} URL, not '{Url}'");
        if (MaxConcurrency < 1) throw new AnnotatorConfigurationException($"option 'maxConcurrency' must be at least 1, not {MaxConcurrency}");
        if (BreakAfter < 2) throw new AnnotatorConfigurationException($"option 'breakAfter' must be at least 2, not {BreakAfter}");
        if (BreakForMs < 500) throw new AnnotatorConfigurationException($"option 'breakForMs' must be at least 500, not {BreakForMs}");
        return uri;
    }
}
