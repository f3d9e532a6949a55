namespace Herald.Grains.Documents;

[GenerateSerializer, Alias("herald.document-status")]
public enum DocumentStatus
{
    Running,
    Complete,
}

/// <summary>
/// A document's state at one moment: the pipeline version it runs on, and its annotations in the order
/// they finished. <see cref="Sequence"/> grows by one with every recorded annotation and at completion.
/// </summary>
[GenerateSerializer, Immutable, Alias("herald.document-snapshot")]
public sealed record DocumentSnapshot(
    [property: Id(0)] string PipelineTag,
    [property: Id(1)] string PipelineVersion,
    [property: Id(2)] DocumentInput Document,
    [property: Id(3)] AnnotationRecord[] Annotations,
    [property: Id(4)] DocumentStatus Status,
    [property: Id(5)] long Sequence,
    [property: Id(6)] DateTimeOffset StartedAt,
    [property: Id(7)] DateTimeOffset? CompletedAt)
{
    public string Id => Document.Id;

    public AnnotationRecord? Annotation(string name) => Annotations.FirstOrDefault(a => a.Name == name);
}
