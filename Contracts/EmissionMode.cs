namespace Herald.Contracts;

/// <summary>What Herald publishes to the central topic for each document.</summary>
public enum EmissionMode
{
    /// <summary>A record per annotation carrying the whole state so far, and the complete record: the latest record per key is the whole state (suits compacted topics).</summary>
    All,

    /// <summary>The complete record only.</summary>
    Complete,

    /// <summary>A record per annotation carrying only that annotation, and the complete record with the whole state: full history at a fraction of the bytes.</summary>
    Deltas,
}
