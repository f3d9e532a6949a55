using System.Text;
using Confluent.Kafka;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Monitoring;
using Herald.Grains.Pipelines;
using Herald.Grains.Publishing;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Ingestion;

/// <summary>
/// Settles one input message for one pipeline: reads it, and either runs it in its document grain (done when the grain
/// returns, which is once its records are durable), leaves it out (not in the pipeline's sample), or dead-letters it with
/// the reason. Whatever its bytes, it answers whether the message is settled; not settled means it stays unacknowledged
/// (its pipeline is no longer deployed on this silo, whose reader is about to stop) and will be read again.
/// </summary>
internal sealed class DocumentDispatcher(IGrainFactory grains, IDeployedPipelines pipelines, InputDeadLetters deadLetters, KafkaConnection connection,
    ILogger<DocumentDispatcher> logger)
{
    /// <summary>Unexpected failures of a run (not timeouts) tried this often before the document is dead-lettered with the last one.</summary>
    private const int MaxAttempts = 5;

    private readonly int _maxMessageBytes = connection.Options.MaxMessageBytes;

    public async Task<bool> SettleAsync(string tag, ConsumeResult<byte[]?, byte[]?> message, CancellationToken stopping)
    {
        var (document, reason) = Read(message);
        if (document is not null)
        {
            // Retired here (its reader stops within a second): left unacknowledged, so redeploying it reads this again.
            if (pipelines.Find(tag) is not { } pipeline) return false;
            if (!pipeline.Input.Takes(document.Id)) return true;
            (var outcome, reason) = await RunAsync(tag, document, stopping);
            if (outcome == RunOutcome.Done) return true;
            if (outcome == RunOutcome.Retired) return false;
        }
        await deadLetters.WriteAsync(message, tag, reason!, stopping);
        return true;
    }

    private (DocumentInput? Document, string? Reason) Read(ConsumeResult<byte[]?, byte[]?> message)
    {
        try
        {
            var document = DocumentParser.ParseMessage(message.Message.Key, message.Message.Value, _maxMessageBytes);
            // A producer that traces (W3C traceparent header) gets its trace continued through the document's run.
            return (message.Message.Headers?.TryGetLastBytes(HeraldTracing.TraceParentHeader, out var trace) == true
                ? document with { TraceParent = Encoding.UTF8.GetString(trace) }
                : document, null);
        }
        catch (InvalidDocumentException e)
        {
            return (null, e.Message);
        }
        catch (Exception e)
        {
            // A defect in reading, not in the message alone: still this message's outcome only.
            logger.ReadFailed(e, message.Topic, message.Partition.Value, message.Offset.Value);
            return (null, $"the message could not be read ({e.GetType().Name}): {e.Message}");
        }
    }

    private enum RunOutcome
    {
        /// <summary>Its records are durable.</summary>
        Done,
        /// <summary>The pipeline was retired on this silo meanwhile: leave the message unacknowledged.</summary>
        Retired,
        /// <summary>It must be dead-lettered, with the reason.</summary>
        Refused,
    }

    private async Task<(RunOutcome, string?)> RunAsync(string tag, DocumentInput document, CancellationToken stopping)
    {
        var grain = grains.GetGrain<IDocumentGrain>(DocumentKey.Format(tag, document.Id));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grain.ProcessAsync(document);
                return (RunOutcome.Done, null);
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
                return (RunOutcome.Refused, e.Message);
            }
            catch (UnknownPipelineException)
            {
                if (pipelines.Find(tag) is null) return (RunOutcome.Retired, null);
                // Deployed here but not yet on the silo that holds the grain (deployments spread within a second): wait for it.
                attempt--;
                await Task.Delay(TimeSpan.FromSeconds(1), connection.Time, stopping);
            }
            catch (UnpublishableRecordException e)
            {
                return (RunOutcome.Refused, $"results could not be published: {e.Message}");
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                if (attempt >= MaxAttempts) return (RunOutcome.Refused, $"the document could not be processed after {attempt} attempts ({e.GetType().Name}): {e.Message}");
                logger.DocumentRetry(e, document.Id, tag, attempt, MaxAttempts);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt)), connection.Time, stopping);
            }
        }
    }
}
