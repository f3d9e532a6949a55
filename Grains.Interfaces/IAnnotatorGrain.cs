using Herald.Grains.Documents;

namespace Herald.Grains;

/// <summary>Runs one annotator version (key: name@version) on the silo it is called from.</summary>
[Alias("herald.annotator")]
public interface IAnnotatorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Annotates the document; <paramref name="dependencies"/> are the finished results this annotator declared.
    /// The callee cancels its own work after <paramref name="timeout"/>, the deadline the caller also waits for:
    /// a cancellation sent by the caller may not reach the stateless-worker activation that runs the request.
    /// </summary>
    [Alias("annotate")]
    Task<AnnotationOutput> AnnotateAsync(DocumentInput document, AnnotationRecord[] dependencies, TimeSpan timeout);
}
