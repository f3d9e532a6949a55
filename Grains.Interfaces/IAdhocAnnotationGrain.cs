using Herald.Grains.Documents;

namespace Herald.Grains;

/// <summary>Runs a document through a pipeline on request and returns the result, neither stored nor published (see the HTTP API's /api/annotate).</summary>
public interface IAdhocAnnotationGrain : IGrainWithIntegerKey
{
    Task<DocumentSnapshot> AnnotateAsync(string pipeline, DocumentInput document);
}
