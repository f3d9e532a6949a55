using Herald.Grains.Documents;
using Orleans.Concurrency;

namespace Herald.Grains;

/// <summary>
/// One document running through one pipeline, keyed by <see cref="DocumentKey"/> ("tag/id"). It runs every
/// annotator as soon as its dependencies are satisfied and completes when nothing is left to run.
/// </summary>
[Alias("herald.document")]
public interface IDocumentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs the document to completion and returns its final state. Idempotent: submitting a document id
    /// that already ran (or is running) returns that run's result without running any annotator again; submitting it
    /// with different content throws <see cref="ConflictingDocumentException"/> (a changed document needs a new id).
    /// </summary>
    [Alias("process")]
    Task<DocumentSnapshot> ProcessAsync(DocumentInput document);

    /// <summary>
    /// Runs the document again on the pipeline's current version (a backfill), reusing <paramref name="reusable"/> where the
    /// annotator and its dependencies are unchanged. A document already complete on the current version is answered from its
    /// record (so an interrupted backfill resumes cheaply); a record of an older version is replaced by the new run's.
    /// </summary>
    [Alias("backfill")]
    Task<DocumentSnapshot> BackfillAsync(DocumentInput document, AnnotationRecord[] reusable);

    /// <summary>The current state (also while running), or null when this document was never submitted.</summary>
    [Alias("get"), AlwaysInterleave]
    Task<DocumentSnapshot?> GetAsync();
}

/// <summary>A completed document id was submitted again with different content; the recorded result stands.</summary>
[GenerateSerializer, Alias("herald.conflicting-document")]
public sealed class ConflictingDocumentException : Exception
{
    public ConflictingDocumentException(string pipeline, string id)
        : base($"document '{id}' already completed in pipeline '{pipeline}' with different content: its recorded result stands; submit a changed document under a new id")
    {
    }
}

/// <summary>Document grain keys: the pipeline tag and the document id, so each pipeline keeps its own state per document.</summary>
public static class DocumentKey
{
    public static string Format(string pipelineTag, string documentId) => $"{pipelineTag}/{documentId}";

    public static (string PipelineTag, string DocumentId) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return slash > 0 ? (key[..slash], key[(slash + 1)..]) : throw new ArgumentException($"'{key}' is not a document key (tag/id)");
    }
}
