using Herald.Grains.Documents;
using Herald.Grains.Ingestion;

namespace Herald.Grains.Publishing;

/// <summary>
/// Where document records go as they progress (the central annotations topic). A document counts as done only
/// once <see cref="CompletedAsync"/> has returned: everything it published is then durable.
/// </summary>
public interface IAnnotationSink
{
    /// <summary>Whether to publish a record for every annotation, or only at completion.</summary>
    bool PublishesEachAnnotation { get; }

    /// <summary>Starts publishing a record after an annotation; the task completes when it is durable.</summary>
    Task AnnotatedAsync(DocumentSnapshot snapshot);

    /// <summary>Publishes the final record; completes when it is durable.</summary>
    Task CompletedAsync(DocumentSnapshot snapshot);

    /// <summary>Sends an input document whose results cannot be published to the dead-letter topic, with the reason; completes when durable.</summary>
    Task DeadLetterAsync(DocumentInput document, InputPosition source, string pipeline, string reason);
}

/// <summary>No central topic: for engines run without Kafka (tests, embedding).</summary>
public sealed class NoAnnotationSink : IAnnotationSink
{
    public static readonly NoAnnotationSink Instance = new();

    public bool PublishesEachAnnotation => false;
    public Task AnnotatedAsync(DocumentSnapshot snapshot) => Task.CompletedTask;
    public Task CompletedAsync(DocumentSnapshot snapshot) => Task.CompletedTask;
    public Task DeadLetterAsync(DocumentInput document, InputPosition source, string pipeline, string reason) => Task.CompletedTask;
}
