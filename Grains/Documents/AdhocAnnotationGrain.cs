using Herald.Grains.Pipelines;
using Herald.Grains.Publishing;
using Orleans.Concurrency;

namespace Herald.Grains.Documents;

/// <summary>
/// Ad-hoc classification: runs a document through a pipeline and returns every annotation, without storing it and,
/// unless asked, without publishing it to the central topic. A stateless worker on the calling silo, many runs at once.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class AdhocAnnotationGrain(PipelineRegistry pipelines, DocumentRunServices services, IAnnotationSink sink) : Grain, IAdhocAnnotationGrain
{
    public Task<DocumentSnapshot> AnnotateAsync(string pipeline, DocumentInput document, bool publish) =>
        new DocumentRun(pipelines.Get(pipeline), document, services, publish ? sink : NoAnnotationSink.Instance).RunAsync();
}
