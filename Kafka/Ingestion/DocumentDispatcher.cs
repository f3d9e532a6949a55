using Confluent.Kafka;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Pipelines;
using Herald.Grains.Publishing;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Ingestion;

/// <summary>
/// Settles one input message for one pipeline: reads it, and either runs it in its document grain (done when the grain
/// returns, which is once its records are durable), leaves it out (not in the pipeline's sample), or dead-letters it with
/// the reason. Whatever its bytes, the returned task ends only when the message is settled, or when stopping.
/// </summary>
internal sealed class DocumentDispatcher(IGrainFactory grains, PipelineRegistry pipelines, InputDeadLetters deadLetters, KafkaConnection connection,
    ILogger<DocumentDispatcher> logger)
{
    /// <summary>Unexpected failures of a run (not timeouts) tried this often before the document is dead-lettered with the last one.</summary>
    private const int MaxAttempts = 5;

    private readonly int _maxMessageBytes = connection.Options.MaxMessageBytes;

    public async Task SettleAsync(string tag, ConsumeResult<byte[]?, byte[]?> message, CancellationToken stopping)
    {
        var (document, reason) = Read(message);
        if (document is not null)
        {
            // A retired pipeline's consumer stops within a second; until then its input is refused like any other.
            if (pipelines.Find(tag) is { } pipeline && !pipeline.Input.Takes(document.Id)) return;
            reason = await RunAsync(tag, document, stopping);
            if (reason is null) return;
        }
        await deadLetters.WriteAsync(message, tag, reason!, stopping);
    }

    private (DocumentInput? Document, string? Reason) Read(ConsumeResult<byte[]?, byte[]?> message)
    {
        try
        {
            return (DocumentParser.ParseMessage(message.Message.Key, message.Message.Value, _maxMessageBytes), null);
        }
        catch (InvalidDocumentException e)
        {
            return (null, e.Message);
        }
        catch (Exception e)
        {
            // A defect in reading, not in the message alone: still this message's outcome only.
            logger.LogError(e, "Reading {Topic}/{Partition}@{Offset} failed unexpectedly", message.Topic, message.Partition.Value, message.Offset.Value);
            return (null, $"the message could not be read ({e.GetType().Name}): {e.Message}");
        }
    }

    /// <summary>Runs the document; null when its records are durable, else why it must be dead-lettered.</summary>
    private async Task<string?> RunAsync(string tag, DocumentInput document, CancellationToken stopping)
    {
        var grain = grains.GetGrain<IDocumentGrain>(DocumentKey.Format(tag, document.Id));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grain.ProcessAsync(document);
                return null;
            }
            catch (TimeoutException)
            {
                // The run goes on (a paused annotator, a slow model): ask again. The grain takes one call at a time, so the
                // next call waits for the run and returns its stored result; nothing runs twice.
                stopping.ThrowIfCancellationRequested();
                attempt--;
            }
            catch (ConflictingDocumentException e)
            {
                return e.Message;
            }
            catch (UnknownPipelineException e)
            {
                return $"pipeline '{tag}' is retired: {e.Message}";
            }
            catch (UnpublishableRecordException e)
            {
                return $"results could not be published: {e.Message}";
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                if (attempt >= MaxAttempts) return $"the document could not be processed after {attempt} attempts ({e.GetType().Name}): {e.Message}";
                logger.LogWarning(e, "Document {Id} of pipeline {Tag} failed (attempt {Attempt} of {Max}); trying again", document.Id, tag, attempt, MaxAttempts);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt)), stopping);
            }
        }
    }
}
