using Herald.Grains.Pipelines;
using Herald.Grains.Publishing;
using Orleans.Concurrency;

namespace Herald.Grains.Documents;

/// <summary>
/// Ad-hoc classification: runs a document through a pipeline and returns every annotation, without storing or publishing
/// it (a document to record goes to its <see cref="IDocumentGrain"/>). A stateless worker on the calling silo, many runs at once.
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class AdhocAnnotationGrain(PipelineRegistry pipelines, DocumentRunServices services) : Grain, IAdhocAnnotationGrain
{
    public Task<DocumentSnapshot> AnnotateAsync(string pipeline, DocumentInput document) =>
        new DocumentRun(pipelines.Get(pipeline), document, services, NoAnnotationSink.Instance).RunAsync();
}
