using System.Collections.Concurrent;
using Confluent.Kafka;
using Herald.Grains.Pipelines;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Ingestion;

/// <summary>
/// One pipeline's reader of the input topic on this silo: a member of the pipeline's consumer group, which spreads the
/// partitions over the silos (cooperative-sticky assignment) and moves them when a silo joins, leaves or dies. Each
/// message goes straight to <see cref="DocumentDispatcher"/>, at most <see cref="KafkaOptions.MaxInFlightPerPartition"/>
/// per partition at once; the committed offset of a partition is the contiguous low-water mark of settled messages
/// (<see cref="OffsetWindow"/>). Every call on the Kafka consumer happens on this reader's own thread.
/// <para>
/// Messages past a partition's limit wait in a read-ahead backlog; only when that holds <see cref="ReadAhead"/> times the
/// limit is the partition paused. Pausing is kept for a partition that is really behind: librdkafka refetches a resumed
/// partition only when its broker thread next wakes, up to a second later when every partition was paused, which a
/// pause at every limit turned into stalls (2,300 instead of 7,000-11,000 documents/s in bench -- kafka).
/// </para>
/// </summary>
internal sealed partial class PipelineConsumer : IAsyncDisposable
{
    // Offsets are stored often (locally; librdkafka commits them every half second): what a crash makes run twice is
    // what settled since the last commit.
    private static readonly TimeSpan StorePeriod = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LagPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Messages read ahead per partition, in multiples of the in-flight limit, before the partition is paused; it resumes at half.</summary>
    private const int ReadAhead = 4;

    private readonly string _tag;
    private readonly KafkaConnection _connection;
    private readonly KafkaOptions _options;
    private readonly IDeployedPipelines _pipelines;
    private readonly DocumentDispatcher _dispatcher;
    private readonly KafkaInputLag _lag;
    private readonly ILogger _logger;
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly Dictionary<int, PartitionProgress> _partitions = [];
    private readonly ConcurrentQueue<(PartitionProgress Partition, long Offset, bool Settled)> _finished = new();
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _stopDispatching = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private DateTimeOffset _nextStore;
    private DateTimeOffset _nextLag;
    private readonly DateTimeOffset _startedAt;
    private DateTimeOffset? _joinedAt;

    public PipelineConsumer(string tag, KafkaConnection connection, IDeployedPipelines pipelines, DocumentDispatcher dispatcher, KafkaInputLag lag, ILogger logger)
    {
        (_tag, _connection, _options, _pipelines, _dispatcher, _lag, _logger) = (tag, connection, connection.Options, pipelines, dispatcher, lag, logger);
        _time = connection.Time;
        _startedAt = _time.GetUtcNow();
        Group = _options.ConsumerGroupFor(tag);
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(connection.Configure(new ConsumerConfig
        {
            GroupId = Group,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = (int)_options.SessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)Math.Max(100, _options.SessionTimeout.TotalMilliseconds / 4),
            // Offsets are stored only up to each partition's low-water mark, then committed in the background.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 500,
            EnableAutoOffsetStore = false,
            // A committed offset that retention has already deleted resumes at the oldest record, never the newest.
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
            // The group's state, to tell operators when a reader cannot join its group (librdkafka retries silently).
            StatisticsIntervalMs = 5000,
        }))
            // A rebalance handler must never throw: in cooperative mode the exception would escape into librdkafka and end the process.
            .SetPartitionsAssignedHandler((_, partitions) => Guarded(() => Assigned(partitions), () => partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset))))
            .SetPartitionsRevokedHandler((_, partitions) => Guarded(() => Revoked(partitions)))
            .SetPartitionsLostHandler((_, partitions) => Guarded(() => Lost(partitions)))
            .SetStatisticsHandler((_, json) => WatchGroup(json))
            .SetErrorHandler((_, error) => _logger.Log(error.IsFatal ? LogLevel.Error : LogLevel.Warning, "Kafka consumer of pipeline {Tag}: {Reason} ({Code})", _tag, error.Reason, error.Code))
            .SetLogHandler((_, log) => _logger.Log((LogLevel)log.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "librdkafka {Facility} (pipeline {Tag}): {Message}", log.Facility, _tag, log.Message))
            .Build();
        _thread = new Thread(Run) { IsBackground = true, Name = $"herald-input-{tag}" };
    }

    public string Group { get; }

    /// <summary>The reader's thread has ended (stopped, or failed): it reads no more.</summary>
    public bool Stopped => _stopped.Task.IsCompleted;

    public void Start()
    {
        _consumer.Subscribe(_options.InputTopic);
        _thread.Start();
    }

    private void Run()
    {
        try
        {
            while (!_stopReading.IsCancellationRequested)
            {
                try
                {
                    ApplyFinished();
                    if (_time.GetUtcNow() >= _nextStore) StoreOffsets();
                    if (_consumer.Consume(TimeSpan.FromMilliseconds(50)) is { IsPartitionEOF: false } message) Dispatch(message);
                }
                catch (Exception e)
                {
                    // Whatever failed (a broker error, a rejected pause), the reader goes on: nothing was settled wrongly.
                    _logger.LogWarning(e, "Pipeline {Tag} could not read {Topic}: {Reason}", _tag, _options.InputTopic, (e as KafkaException)?.Error.Reason ?? e.Message);
                    Thread.Sleep(100);
                }
            }
            // Leaving the group revokes every partition: each is drained and committed (Revoked) before the others take it.
            _consumer.Close();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "The input reader of pipeline {Tag} failed", _tag);
        }
        finally
        {
            _stopDispatching.Cancel();
            _consumer.Dispose();
            _stopped.TrySetResult();
        }
    }

    private void Dispatch(ConsumeResult<byte[]?, byte[]?> message)
    {
        if (!_partitions.TryGetValue(message.Partition.Value, out var partition)) return; // no longer ours
        partition.Window.Received(message.Offset.Value);
        if (partition.Running < _options.MaxInFlightPerPartition)
        {
            Start(partition, message);
            return;
        }
        partition.Backlog.Enqueue(message);
        if (!partition.Paused && partition.Backlog.Count >= ReadAhead * _options.MaxInFlightPerPartition)
        {
            _consumer.Pause([partition.Partition]);
            partition.Paused = true;
        }
    }

    private void Start(PartitionProgress partition, ConsumeResult<byte[]?, byte[]?> message)
    {
        partition.Running++;
        var offset = message.Offset.Value;
        SettleAsync(message).ContinueWith(
            static (task, state) =>
            {
                var (finished, partition, offset) = ((ConcurrentQueue<(PartitionProgress, long, bool)>, PartitionProgress, long))state!;
                // Only a message that was settled counts: one abandoned at shutdown is read again by the next owner.
                finished.Enqueue((partition, offset, task.IsCompletedSuccessfully && task.Result));
            },
            (_finished, partition, offset), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Until the message is settled, or the reader stops: a failure that is no verdict on the message is tried again.</summary>
    private async Task<bool> SettleAsync(ConsumeResult<byte[]?, byte[]?> message)
    {
        var stopping = _stopDispatching.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await _dispatcher.SettleAsync(_tag, message, stopping)) return true;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                _logger.SettleFailed(e, _tag, message.Topic, message.Partition.Value, message.Offset.Value);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), _time, stopping).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
        return false;
    }

    /// <summary>Takes settled messages into their partitions' windows, starts what waited behind them, and resumes partitions whose backlog shrank.</summary>
    private void ApplyFinished()
    {
        while (_finished.TryDequeue(out var finished))
        {
            var partition = finished.Partition;
            partition.Running--;
            // A partition revoked and assigned again starts a new window: settlements of the old one do not count.
            if (!_partitions.TryGetValue(partition.Partition.Partition.Value, out var current) || !ReferenceEquals(current, partition)) continue;
            // Unsettled (the reader is stopping): its offset stays in the window, so the commit stays below it.
            if (finished.Settled) partition.Window.Completed(finished.Offset);
            while (partition.Running < _options.MaxInFlightPerPartition && partition.Backlog.TryDequeue(out var next)) Start(partition, next);
            if (partition.Paused && partition.Backlog.Count <= ReadAhead * _options.MaxInFlightPerPartition / 2)
            {
                _consumer.Resume([partition.Partition]);
                partition.Paused = false;
            }
        }
    }

    /// <summary>Stores each partition's low-water mark for the background commit, and once a second reports the lag.</summary>
    private void StoreOffsets()
    {
        var now = _time.GetUtcNow();
        _nextStore = now + StorePeriod;
        var reportLag = now >= _nextLag;
        if (reportLag) _nextLag = now + LagPeriod;
        foreach (var partition in _partitions.Values)
        {
            var commit = partition.Window.CommitOffset;
            if (commit > partition.Stored)
            {
                try
                {
                    _consumer.StoreOffset(new TopicPartitionOffset(partition.Partition, commit));
                    partition.Stored = commit;
                }
                catch (KafkaException e)
                {
                    _logger.StoreOffsetFailed(_tag, commit, partition.Partition.Partition.Value, e.Error.Reason);
                }
            }
            if (!reportLag) continue;
            var end = _consumer.GetWatermarkOffsets(partition.Partition).High.Value;
            var position = _consumer.Position(partition.Partition).Value is var read and >= 0 ? read : partition.Stored;
            if (end >= 0) _lag.Update(_tag, partition.Partition.Topic, partition.Partition.Partition.Value, position, end);
        }
    }

    /// <summary>
    /// From librdkafka's statistics: warns while this reader has not joined its group for longer than the connect timeout
    /// (no coordinator, the cluster away), since librdkafka keeps retrying without a word.
    /// </summary>
    private void WatchGroup(string statistics)
    {
        using var json = System.Text.Json.JsonDocument.Parse(statistics);
        if (!json.RootElement.TryGetProperty("cgrp", out var group)) return;
        var state = group.GetProperty("state").GetString();
        if (state == "up")
        {
            _joinedAt ??= _time.GetUtcNow();
            return;
        }
        var waiting = _time.GetUtcNow() - (_joinedAt ?? _startedAt);
        if (_joinedAt is not null) _joinedAt = null;
        if (waiting > _options.ConnectTimeout)
            _logger.LogWarning("Pipeline {Tag} has not joined its consumer group {Group} for {Seconds:0} s (group state '{State}', joining '{Join}'): is the group coordinator of {Bootstrap} reachable? Retrying",
                _tag, Group, waiting.TotalSeconds, state, group.TryGetProperty("join_state", out var join) ? join.GetString() : "?", _connection.BootstrapServers);
    }

    /// <summary>Stops reading, drains and commits the partitions, and leaves the group.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopReading.Cancel();
        if (_thread.IsAlive) await _stopped.Task;
        _stopReading.Dispose();
        _stopDispatching.Dispose();
    }

    /// <summary>One partition this silo owns, from the moment the group assigned it until it leaves.</summary>
    private sealed class PartitionProgress(TopicPartition partition, long start)
    {
        public TopicPartition Partition { get; } = partition;
        public OffsetWindow Window { get; } = new(start);
        public bool Paused { get; set; }
        public long Stored { get; set; } = start;

        /// <summary>Dispatched and not settled yet.</summary>
        public int Running { get; set; }

        /// <summary>Read, but waiting for a free slot under the in-flight limit.</summary>
        public Queue<ConsumeResult<byte[]?, byte[]?>> Backlog { get; } = new();
    }
}
