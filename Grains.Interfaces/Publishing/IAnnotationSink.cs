using Herald.Grains.Documents;

namespace Herald.Grains.Publishing;

/// <summary>
/// Where document records go as they progress (the central annotations topic). Each run publishes through its own
/// <see cref="IDocumentPublication"/>; a document counts as done only once that publication has completed.
/// </summary>
public interface IAnnotationSink
{
    /// <summary>Whether to publish a record for every annotation, or only at completion.</summary>
    bool PublishesEachAnnotation { get; }

    /// <summary>Starts publishing one run of one document.</summary>
    IDocumentPublication Begin(string documentId);
}

/// <summary>The records of one document run, in order: any number of annotation records, then the final one.</summary>
public interface IDocumentPublication
{
    /// <summary>Starts publishing a record after an annotation and returns at once.</summary>
    void Annotated(DocumentSnapshot snapshot);

    /// <summary>
    /// Publishes the final record; completes when it and every record before it are durable, or throws the first
    /// failure (<see cref="UnpublishableRecordException"/> when retrying cannot help).
    /// </summary>
    Task CompletedAsync(DocumentSnapshot snapshot);
}

/// <summary>No central topic: for engines run without Kafka (tests, embedding) and unpublished ad-hoc runs.</summary>
public sealed class NoAnnotationSink : IAnnotationSink, IDocumentPublication
{
    public static readonly NoAnnotationSink Instance = new();

    public bool PublishesEachAnnotation => false;
    public IDocumentPublication Begin(string documentId) => this;
    public void Annotated(DocumentSnapshot snapshot) { }
    public Task CompletedAsync(DocumentSnapshot snapshot) => Task.CompletedTask;
}
