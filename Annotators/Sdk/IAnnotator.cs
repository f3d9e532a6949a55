namespace Herald.Annotators;

/// <summary>
/// One annotator implementation: a model or a rule set that reads a document (and the results of the
/// annotators it declared as dependencies) and returns one annotation. Implementations must be safe
/// for concurrent use: Herald shares one instance per annotator version per silo.
/// </summary>
public interface IAnnotator
{
    ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken);
}
