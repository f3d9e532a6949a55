using Herald.Grains.Annotators;
using Herald.Grains.Hosting;
using Herald.Grains.Ingestion;
using Herald.Grains.Monitoring;
using Herald.Grains.Pipelines;
using Herald.Grains.Publishing;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Herald.Grains.Documents;

/// <summary>
/// One document in one pipeline. It runs the DAG (<see cref="DocumentRun"/>), publishes every record to the
/// central topic, keeps the finished state in grain storage so a resubmission never reruns annotators, and
/// deactivates once complete so memory stays bounded by the documents in flight. Documents arrive either by
/// a direct call or from the input topic through an implicit stream subscription; the latter are checkpointed
/// only after their results are durable.
/// </summary>
// Hash placement sends every activation of a document to the same silo while membership is stable, so a
// silo-local store still answers resubmissions.
[HashBasedPlacement]
[ImplicitStreamSubscription(DocumentStreams.Namespace)]
public sealed class DocumentGrain(
    PipelineRegistry pipelines,
    DocumentRunServices services,
    IAnnotationSink sink,
    GrainReferences<IInputCheckpointGrain> checkpoints,
    ILogger<DocumentGrain> logger,
    [PersistentState("document", HeraldStorage.Documents)] IPersistentState<DocumentSnapshot> completed)
    : Grain, IDocumentGrain, IStreamSubscriptionObserver, IAsyncObserver<DocumentEvent>
{
    private DocumentRun? _run;

    public async Task<DocumentSnapshot> ProcessAsync(DocumentInput document)
    {
        var (tag, id) = DocumentKey.Parse(this.GetPrimaryKeyString());
        // Calls are not reentrant: a duplicate submitted while this one runs waits here and then sees the result.
        if (completed.RecordExists)
        {
            DeactivateOnIdle();
            if (!completed.State.Document.SameContentAs(document))
            {
                HeraldMetrics.DocumentsConflicting.Add(1, new KeyValuePair<string, object?>("pipeline", tag));
                throw new ConflictingDocumentException(tag, id);
            }
            return completed.State;
        }

        if (document.Id != id)
            throw new ArgumentException($"document id '{document.Id}' does not match grain key '{this.GetPrimaryKeyString()}'");

        _run = new DocumentRun(pipelines.Get(tag), document, services, sink);
        var snapshot = await _run.RunAsync();
        // Stored only once published: a stored state means its records are durable, so a redelivery skips both.
        completed.State = snapshot;
        await completed.WriteStateAsync();
        _run = null;
        DeactivateOnIdle();
        return snapshot;
    }

    public Task<DocumentSnapshot?> GetAsync() =>
        Task.FromResult(_run?.Snapshot() ?? (completed.RecordExists ? completed.State : null));

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<DocumentEvent>().ResumeAsync(this);

    public async Task OnNextAsync(DocumentEvent item, StreamSequenceToken? token = null)
    {
        try
        {
            await ProcessAsync(item.Document);
        }
        catch (UnknownPipelineException e)
        {
            // The pipeline was retired: its new input is refused, to the dead-letter topic, so its partition moves on.
            var (tag, _) = DocumentKey.Parse(this.GetPrimaryKeyString());
            await sink.DeadLetterAsync(item.Document, item.Source, tag, $"pipeline '{tag}' is retired: {e.Message}");
            DeactivateOnIdle();
        }
        catch (ConflictingDocumentException e)
        {
            // A changed document under an id that already completed: its record stands, and the change is kept, with why.
            var (tag, _) = DocumentKey.Parse(this.GetPrimaryKeyString());
            logger.LogWarning("Dead-lettering input {Position}: {Reason}", item.Source, e.Message);
            await sink.DeadLetterAsync(item.Document, item.Source, tag, e.Message);
        }
        catch (UnpublishableRecordException e)
        {
            // Retrying cannot publish it: dead-letter the input (durably) and let the partition move on.
            _run = null;
            var (tag, _) = DocumentKey.Parse(this.GetPrimaryKeyString());
            logger.LogWarning(e, "Dead-lettering document {Key}: its results cannot be published", this.GetPrimaryKeyString());
            await sink.DeadLetterAsync(item.Document, item.Source, tag, $"results could not be published: {e.Message}");
            DeactivateOnIdle();
        }
        await checkpoints.Get(item.Source.CheckpointKey).CompletedAsync(item.Source.Offset);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Input stream error for document {Key}", this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }
}
