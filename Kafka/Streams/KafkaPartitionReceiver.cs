using System.Text;
using Confluent.Kafka;
using Herald.Grains;
using Herald.Grains.Documents;
using Herald.Grains.Ingestion;
using Herald.Kafka.Hosting;
using Herald.Kafka.Publishing;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Herald.Kafka.Streams;

/// <summary>
/// Reads one input partition for one pipeline. Valid documents become stream events for their document grain;
/// anything else goes to the dead-letter topic with its reason and never blocks the partition. The committed
/// offset follows the partition's checkpoint grain, which advances only past documents whose results are durable.
/// </summary>
internal sealed class KafkaPartitionReceiver(
    string pipelineTag, int partition, KafkaConnection connection, HeraldProducer producer, KafkaInputLag lag, IGrainFactory grains, ILogger<KafkaPartitionReceiver> logger)
    : IQueueAdapterReceiver
{
    private readonly KafkaOptions _options = connection.Options;
    private readonly TopicPartition _partition = new(connection.Options.InputTopic, partition);
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private int _deadLetterFailures;
    private DateTime _retryDeadLetterAt;
    private IInputCheckpointGrain _checkpoint = null!;
    private string _checkpointKey = "";
    private long _stored = -1;
    private TimeSpan _connectTimeout;
    private DateTime _retryConnectAt;
    private bool _stopped;
    private static readonly TimeSpan ConnectRetryPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan IdleCheckpointPeriod = TimeSpan.FromSeconds(1);
    private DateTime _nextIdleCheckpoint;

    /// <summary>
    /// Orleans initializes a queue once, and reports a failure as reading given up, though it keeps calling
    /// <see cref="GetQueueMessagesAsync"/>: so this never fails, and a reader that cannot take its partition yet
    /// keeps trying from there, every few seconds.
    /// </summary>
    public async Task Initialize(TimeSpan timeout)
    {
        _connectTimeout = timeout;
        await TryConnectAsync();
    }

    private async Task TryConnectAsync()
    {
        try
        {
            await ConnectAsync();
        }
        catch (Exception e)
        {
            // Counted from the failure: an attempt can itself take the whole connect timeout.
            _retryConnectAt = DateTime.UtcNow + ConnectRetryPeriod;
            logger.LogWarning(e, "Pipeline {Tag} cannot take {Partition} yet: retrying in {Wait}", pipelineTag, _partition, ConnectRetryPeriod);
        }
    }

    /// <summary>Takes the partition: consumer, start offset, checkpoint; unless the reader was shut down meanwhile.</summary>
    private async Task ConnectAsync()
    {
        var group = _options.ConsumerGroupFor(pipelineTag);
        _checkpointKey = $"{group}/{_partition.Topic}/{_partition.Partition.Value}";
        _checkpoint = grains.GetGrain<IInputCheckpointGrain>(_checkpointKey);
        // Finding the group coordinator and the committed offset blocks for up to seconds: on a thread of its own, so
        // that neither the silo's scheduler nor the thread pool (which would grow to compensate) waits on it.
        var (consumer, start) = await Blocking(() => Connect(group, _connectTimeout));
        try
        {
            // Shut down while connecting: the partition may be another silo's by now, and so may its checkpoint.
            if (!_stopped) await _checkpoint.ResetAsync(start);
        }
        catch
        {
            consumer.Dispose();
            throw;
        }
        if (_stopped)
        {
            consumer.Dispose();
            return;
        }
        _consumer = consumer;
        _stored = start;
        logger.LogInformation("Pipeline {Tag} reads {Partition} from offset {Offset} (group {Group})", pipelineTag, _partition, start, group);
    }

    private (IConsumer<byte[]?, byte[]?>, long) Connect(string group, TimeSpan timeout)
    {
        var consumer = new ConsumerBuilder<byte[]?, byte[]?>(connection.Configure(new ConsumerConfig
        {
            GroupId = group,
            // Offsets are stored only up to the checkpoint's low-water mark, then committed in the background.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            EnableAutoOffsetStore = false,
            // A committed offset that retention has already deleted resumes at the oldest record, never the newest.
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
        })).Build();
        try
        {
            var start = StartOffset(consumer, timeout);
            consumer.Assign(new TopicPartitionOffset(_partition, start));
            return (consumer, start);
        }
        catch
        {
            consumer.Dispose();
            throw;
        }
    }

    private long StartOffset(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout)
    {
        var committed = consumer.Committed([_partition], timeout).Single().Offset;
        if (committed != Offset.Unset) return committed.Value;
        var watermarks = consumer.QueryWatermarkOffsets(_partition, timeout);
        var start = _options.ConsumerFor(pipelineTag).StartFrom == StartPosition.Earliest ? watermarks.Low.Value : watermarks.High.Value;
        // Pin the resolved start: a "latest" group that restarted before its first commit would skip what came meanwhile.
        consumer.Commit([new TopicPartitionOffset(_partition, start)]);
        return start;
    }

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        if (_consumer is null && !_stopped && DateTime.UtcNow >= _retryConnectAt) await TryConnectAsync();
        if (_consumer is null || DateTime.UtcNow < _retryDeadLetterAt) return [];
        var batch = new List<IBatchContainer>();
        var inFlight = new List<long>();
        var settled = new List<long>();
        long? first = null;
        try
        {
            // Zero timeout: take what librdkafka has prefetched without blocking the pulling agent.
            while (batch.Count < maxCount && _consumer.Consume(TimeSpan.Zero) is { } message)
            {
                first ??= message.Offset.Value;
                if (TryRead(message, out var document, out var reason))
                {
                    var key = DocumentKey.Format(pipelineTag, document.Id);
                    var @event = new DocumentEvent(document, new InputPosition(_checkpointKey, message.Offset.Value));
                    batch.Add(new DocumentBatchContainer(StreamId.Create(DocumentStreams.Namespace, key), @event, new EventSequenceTokenV2(message.Offset.Value)));
                    inFlight.Add(message.Offset.Value);
                }
                else if (await TryDeadLetterAsync(message, reason))
                {
                    settled.Add(message.Offset.Value);
                }
                else
                {
                    // The partition waits at this message until its dead letter can be written: never skip it.
                    _consumer.Seek(message.TopicPartitionOffset);
                    break;
                }
            }
            // With nothing read, the checkpoint is only asked how far the partition may commit (and whether it was lost): once
            // a second, as often as offsets are committed, rather than at every tick of an idle partition.
            if (first is null)
            {
                if (DateTime.UtcNow < _nextIdleCheckpoint) return batch;
                _nextIdleCheckpoint = DateTime.UtcNow + IdleCheckpointPeriod;
            }
            var commit = await _checkpoint.ReceivedAsync([.. inFlight], [.. settled]);
            if (commit == InputCheckpoint.NeedsReset)
            {
                // The checkpoint was lost with its silo, and with it what was in flight: start over from the last commit.
                logger.LogWarning("Checkpoint {Key} was lost: re-reading {Partition} from offset {Offset}", _checkpointKey, _partition, _stored);
                _consumer.Seek(new TopicPartitionOffset(_partition, _stored));
                await _checkpoint.ResetAsync(_stored);
                return [];
            }
            StoreOffset(commit);
            ReportLag();
            return batch;
        }
        catch when (first is { } start && _consumer is { } consumer)
        {
            // Whatever failed, nothing of this batch reached Orleans or the checkpoint: read it all again on the agent's
            // retry, so a failure can never move the partition past a message (a dead letter may be written twice).
            consumer.Seek(new TopicPartitionOffset(_partition, start));
            throw;
        }
    }

    /// <summary>Whatever its bytes, a message is either a document or a reason to dead-letter it: nothing it holds can fail its batch.</summary>
    private bool TryRead(ConsumeResult<byte[]?, byte[]?> message, out DocumentInput document, out string reason)
    {
        document = null!;
        reason = "";
        try
        {
            document = DocumentParser.ParseMessage(message.Message.Key, message.Message.Value, _options.MaxMessageBytes);
            return true;
        }
        catch (InvalidDocumentException e)
        {
            reason = e.Message;
        }
        catch (Exception e)
        {
            // A defect in reading, not in the message alone: still this message's outcome only.
            logger.LogError(e, "Reading {Topic}/{Partition}@{Offset} failed unexpectedly", message.Topic, message.Partition.Value, message.Offset.Value);
            reason = $"the message could not be read ({e.GetType().Name}): {e.Message}";
        }
        return false;
    }

    private async Task<bool> TryDeadLetterAsync(ConsumeResult<byte[]?, byte[]?> message, string reason)
    {
        logger.LogWarning("Dead-lettering {Topic}/{Partition}@{Offset}: {Reason}", message.Topic, message.Partition.Value, message.Offset.Value, reason);
        var herald = DeadLetters.Headers(reason, message.Topic, message.Partition.Value, message.Offset.Value, pipelineTag);
        try
        {
            try
            {
                // Awaited: the offset is settled only once the dead letter is durable.
                await ProduceDeadLetterAsync(message.Message.Key, message.Message.Value, [.. herald, .. message.Message.Headers ?? []]);
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (DeadLetters.IsTooLarge(e.Error.Code) && _options.OversizedDeadLetters == OversizedDeadLetters.Truncate)
            {
                // Larger than the producer may send: keep the value's head, at most 1 KB of key and only Herald's own headers (the
                // limit leaves room for those), say how much there was, and move on rather than stop the partition.
                var (key, value) = (message.Message.Key, message.Message.Value ?? []);
                await ProduceDeadLetterAsync(
                    key is { Length: > 1024 } ? key[..1024] : key,
                    value.Length > _options.MaxMessageBytes ? value[.._options.MaxMessageBytes] : value,
                    [.. herald, new Header(RecordHeaders.OriginalSize, Encoding.UTF8.GetBytes(value.Length.ToString())), new Header(RecordHeaders.Truncated, "true"u8.ToArray())]);
            }
        }
        catch (KafkaException e)
        {
            // The partition waits at the message and retries later, backing off so a stuck dead letter does not spin.
            _deadLetterFailures++;
            var wait = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(_deadLetterFailures, 10))));
            _retryDeadLetterAt = DateTime.UtcNow + wait;
            logger.LogError(e, "Cannot dead-letter {Topic}/{Partition}@{Offset}: the partition waits there and retries in {Wait}", message.Topic, message.Partition.Value, message.Offset.Value, wait);
            return false;
        }
        _deadLetterFailures = 0;
        return true;
    }

    private Task ProduceDeadLetterAsync(byte[]? key, byte[]? value, Headers headers) =>
        producer.Producer.ProduceAsync(_options.DeadLetterTopic, new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers });

    private void StoreOffset(long commit)
    {
        if (commit <= _stored) return;
        _consumer!.StoreOffset(new TopicPartitionOffset(_partition, commit));
        _stored = commit;
    }

    /// <summary>The reader's position against the partition's end, from what librdkafka already knows (no broker call).</summary>
    private void ReportLag()
    {
        if (_consumer is not { } consumer) return;
        var end = consumer.GetWatermarkOffsets(_partition).High.Value;
        // Before its first message the reader is where it started: its stored offset.
        var position = consumer.Position(_partition).Value is var read and >= 0 ? read : _stored;
        if (end >= 0 && position >= 0) lag.Update(pipelineTag, _partition.Topic, _partition.Partition.Value, position, end);
    }

    private static Task<T> Blocking<T>(Func<T> call) =>
        Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task Blocking(Action call) =>
        Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public async Task Shutdown(TimeSpan timeout)
    {
        _stopped = true;
        if (_consumer is not { } consumer) return;
        _consumer = null;
        lag.Remove(pipelineTag, _partition.Topic, _partition.Partition.Value);
        long commit;
        try
        {
            // Hand the partition over with everything durable committed.
            commit = await _checkpoint.ReceivedAsync([], []);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Checkpoint {Key} unreachable at hand-over: committing what was stored", _checkpointKey);
            commit = _stored;
        }
        // Committing and leaving block on the broker.
        await Blocking(() =>
        {
            try
            {
                if (commit > _stored) consumer.StoreOffset(new TopicPartitionOffset(_partition, commit));
                consumer.Commit();
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
            {
                // Nothing stored since the last commit.
            }
            finally
            {
                consumer.Close();
                consumer.Dispose();
            }
        });
    }
}
