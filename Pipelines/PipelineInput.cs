using System.IO.Hashing;
using System.Text;

namespace Herald.Pipelines;

/// <summary>Where a pipeline's input starts when its consumer group has no committed position yet.</summary>
public enum InputStart
{
    Earliest,
    Latest,
    /// <summary>The first record at or after <see cref="PipelineInput.StartTime"/>.</summary>
    Time,
}

/// <summary>
/// A pipeline's share of the input topic, from its file's <c>input:</c> mapping: where it starts (null: as configured, or
/// earliest) and which share of documents it takes, chosen by a stable hash of the document id, so a canary on 5% of
/// traffic always sees the same documents.
/// </summary>
public sealed record PipelineInput(InputStart? Start, DateTimeOffset? StartTime, double Sample)
{
    public static readonly PipelineInput Everything = new(null, null, 1.0);

    /// <summary>Whether this pipeline takes the document: always at sample 1, else for a fixed share of ids.</summary>
    public bool Takes(string documentId)
    {
        if (Sample >= 1.0) return true;
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(documentId));
        // The top 53 bits as a fraction in [0, 1): uniform over ids, the same on every silo and run.
        return (hash >> 11) * (1.0 / (1UL << 53)) < Sample;
    }
}
