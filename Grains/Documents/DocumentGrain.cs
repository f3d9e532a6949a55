using Herald.Grains.Documents;
using Herald.Grains.Pipelines;
using Herald.Grains.Annotators;
using Herald.Grains.Hosting;
using Orleans.Placement;

namespace Herald.Grains.Documents;

/// <summary>
/// One document in one pipeline. It runs the DAG (<see cref="DocumentRun"/>), keeps the finished state in
/// grain storage so a resubmission never reruns annotators, and deactivates once complete so memory stays
/// bounded by the documents in flight.
/// </summary>
// Hash placement sends every activation of a document to the same silo while membership is stable, so a
// silo-local store still answers resubmissions.
[HashBasedPlacement]
public sealed class DocumentGrain(
    PipelineRegistry pipelines,
    AnnotatorGrainReferences annotators,
    TimeProvider time,
    [PersistentState("document", HeraldStorage.Documents)] IPersistentState<DocumentSnapshot> completed) : Grain, IDocumentGrain
{
    private DocumentRun? _run;

    public async Task<DocumentSnapshot> ProcessAsync(DocumentInput document)
    {
        // Calls are not reentrant: a duplicate submitted while this one runs waits here and then sees the result.
        if (completed.RecordExists)
        {
            DeactivateOnIdle();
            return completed.State;
        }

        var (tag, id) = DocumentKey.Parse(this.GetPrimaryKeyString());
        if (document.Id != id)
            throw new ArgumentException($"document id '{document.Id}' does not match grain key '{this.GetPrimaryKeyString()}'");

        _run = new DocumentRun(pipelines.Get(tag), document, annotators, time);
        var snapshot = await _run.RunAsync();
        completed.State = snapshot;
        await completed.WriteStateAsync();
        _run = null;
        DeactivateOnIdle();
        return snapshot;
    }

    public Task<DocumentSnapshot?> GetAsync() =>
        Task.FromResult(_run?.Snapshot() ?? (completed.RecordExists ? completed.State : null));
}
