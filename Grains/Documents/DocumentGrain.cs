using Herald.Grains.Hosting;
using Herald.Grains.Monitoring;
using Herald.Grains.Pipelines;
using Herald.Grains.Publishing;
using Orleans.Placement;

namespace Herald.Grains.Documents;

/// <summary>
/// One document in one pipeline. It runs the DAG (<see cref="DocumentRun"/>), publishes every record to the
/// central topic, keeps the finished state in grain storage so a resubmission never reruns annotators, and
/// deactivates once complete so memory stays bounded by the documents in flight. A run returns only once its
/// records are durable, so whoever delivered the document (the Kafka ingestion, the HTTP API) may acknowledge it then.
/// </summary>
// Hash placement sends every activation of a document to the same silo while membership is stable, so a
// silo-local store still answers resubmissions.
[HashBasedPlacement]
internal sealed class DocumentGrain(
    PipelineRegistry pipelines,
    DocumentRunServices services,
    IAnnotationSink sink,
    [PersistentState("document", HeraldStorage.Documents)] IPersistentState<DocumentSnapshot> completed)
    : Grain, IDocumentGrain
{
    private DocumentRun? _run;

    public Task<DocumentSnapshot> ProcessAsync(DocumentInput document) => RunAsync(document, reusable: null);

    public Task<DocumentSnapshot> BackfillAsync(DocumentInput document, AnnotationRecord[] reusable) => RunAsync(document, reusable);

    private async Task<DocumentSnapshot> RunAsync(DocumentInput document, AnnotationRecord[]? reusable)
    {
        var (tag, id) = DocumentKey.Parse(this.GetPrimaryKeyString());
        // Calls are not reentrant: a duplicate submitted while this one runs waits here and then sees the result.
        // A backfill reruns a document recorded on an older version of the pipeline; anything else is answered from the record
        // (even once the pipeline is retired).
        if (completed.RecordExists && (reusable is null || completed.State.PipelineVersion == pipelines.Get(tag).VersionId))
        {
            DeactivateOnIdle();
            if (!completed.State.Document.SameContentAs(document))
            {
                services.Monitor.DocumentConflicting(tag);
                throw new ConflictingDocumentException(tag, id);
            }
            return completed.State;
        }
        if (document.Id != id)
            throw new ArgumentException($"document id '{document.Id}' does not match grain key '{this.GetPrimaryKeyString()}'");

        _run = new DocumentRun(pipelines.Get(tag), document, services, sink, reusable);
        try
        {
            var snapshot = await _run.RunAsync();
            // Stored only once published: a stored state means its records are durable, so a redelivery skips both.
            completed.State = snapshot;
            await completed.WriteStateAsync();
            return snapshot;
        }
        finally
        {
            _run = null;
            DeactivateOnIdle();
        }
    }

    public Task<DocumentSnapshot?> GetAsync() =>
        Task.FromResult(_run?.Snapshot() ?? (completed.RecordExists ? completed.State : null));
}
