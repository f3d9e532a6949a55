using Confluent.Kafka;
using Herald.Warehouse.Rows;
using Herald.Warehouse.Storage;
using Microsoft.Extensions.Logging;

namespace Herald.Warehouse.Sink;

/// <summary>What a sink run did, for the command's summary and the tests.</summary>
public sealed record WarehouseProgress(long Records, long DocumentRows, long AnnotationRows, long Unreadable, int Batches);

/// <summary>
/// Reads the central topic in its own consumer group and writes it to the warehouse in batches: DuckDB and Parquet side by side,
/// then the batch's offsets are committed, so whatever a crash interrupts is read again and, being keyed (DuckDB) or named
/// by offset (Parquet), lands once. One batch is written (on the thread pool) while the next is read; its offsets are committed
/// by the consuming thread once it is durable. Partitions are spread over sinks by Kafka's cooperative-sticky assignment; a
/// partition taken away first has its batches written and committed.
/// </summary>
public sealed class WarehouseSink : IDisposable
{
    private readonly WarehouseOptions _options;
    private readonly ILogger _logger;
    private readonly DuckDbWarehouse? _duckDb;
    private readonly ParquetFiles? _parquet;
    private readonly IConsumer<Ignore, CentralRecord?> _consumer;
    private RowBatch _batch = new(), _spare = new();
    private (Task Write, RowBatch Batch, List<TopicPartitionOffset> Offsets)? _writing;
    private readonly Dictionary<int, long> _nextOffsets = [];
    private readonly HashSet<int> _atEnd = [];
    private long _records, _documents, _annotations, _unreadable;
    private int _batches;
    // Set once a write fails: from then on nothing is written or committed. The consumer's close still hands the partitions
    // over (its revoke handler flushes), and a later batch committed then would skip the failed one's records for good.
    private bool _failed;

    /// <param name="configure">Client settings beyond the bootstrap servers (a silo passes its cluster's security settings).</param>
    public WarehouseSink(WarehouseOptions options, ILogger logger, Action<ClientConfig>? configure = null)
    {
        if (options.Problems().ToList() is { Count: > 0 } problems) throw new ArgumentException(string.Join("; ", problems));
        _options = options;
        _logger = logger;
        if (!string.IsNullOrWhiteSpace(options.Database)) _duckDb = new DuckDbWarehouse(options.Database);
        if (!string.IsNullOrWhiteSpace(options.Parquet)) _parquet = new ParquetFiles(options.Parquet);
        var config = new ConsumerConfig
            {
                BootstrapServers = options.BootstrapServers,
                GroupId = options.ConsumerGroup,
                EnableAutoCommit = false,
                EnableAutoOffsetStore = false,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnablePartitionEof = true,
                PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
                ClientId = "herald-warehouse",
                ConsumeResultFields = "timestamp", // no copies of headers and topic names per record
                // The sink stops reading while its writer catches up, and its fetch queue fills meanwhile: librdkafka then postpones
                // fetching by this much, 1 s by default, and the drained queue would leave the sink idle for most of it.
                FetchQueueBackoffMs = 20,
            };
        configure?.Invoke(config);
        _consumer = new ConsumerBuilder<Ignore, CentralRecord?>(config)
            .SetKeyDeserializer(Deserializers.Ignore)
            // Records are read out of librdkafka's buffers on the consuming thread, into the batch being filled.
            .SetValueDeserializer(new CentralRecordDeserializer(() => _batch.Arena))
            .SetLogHandler((_, m) => _logger.Log((LogLevel)m.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "librdkafka {Facility}: {Message}", m.Facility, m.Message))
            .SetErrorHandler((_, e) => _logger.Log(e.IsFatal ? LogLevel.Critical : LogLevel.Warning, "Kafka: {Reason} ({Code})", e.Reason, e.Code))
            .SetPartitionsAssignedHandler((consumer, partitions) => Assigned(consumer, partitions))
            .SetPartitionsRevokedHandler((_, partitions) => Revoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => Lost(partitions))
            .Build();
    }

    /// <summary>The DuckDB store, when there is one: queries of the hosting process go through it.</summary>
    internal DuckDbWarehouse? Database => _duckDb;

    public WarehouseProgress Progress => new(_records, _documents, _annotations, _unreadable, _batches);

    /// <summary>
    /// Consumes until cancelled, or with <paramref name="once"/> until every assigned partition is at its end (what the topic held when
    /// it got there), then writes what is pending and returns.
    /// </summary>
    public Task<WarehouseProgress> RunAsync(bool once, CancellationToken cancellation, IProgress<WarehouseProgress>? progress = null) =>
        Task.Factory.StartNew(() => Run(once, progress, cancellation), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private WarehouseProgress Run(bool once, IProgress<WarehouseProgress>? progress, CancellationToken cancellation)
    {
        _consumer.Subscribe(_options.Topic);
        var wait = TimeSpan.FromMilliseconds(_options.BatchWaitMs);
        var batchStarted = DateTime.UtcNow;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var result = _consumer.Consume(TimeSpan.FromMilliseconds(Math.Min(100, _options.BatchWaitMs)));
                if (result is { IsPartitionEOF: true }) _atEnd.Add(result.Partition.Value);
                else if (result?.Message is { } message) Add(result.Partition.Value, result.Offset.Value, message);

                if (_batch.FirstOffsets.Count > 0 && (_batch.Records + _batch.Unreadable >= _options.BatchSize || DateTime.UtcNow - batchStarted >= wait)
                    && !GrowsWhileWriting())
                {
                    Flush();
                    progress?.Report(Progress);
                    batchStarted = DateTime.UtcNow;
                }
                if (_batch.FirstOffsets.Count == 0) batchStarted = DateTime.UtcNow;
                // Asked only when a partition reaches its end or nothing came: the assignment is a call into librdkafka.
                if (once && (result is null || result.IsPartitionEOF) && AllAtEnd())
                {
                    Flush();
                    Settle();
                    break;
                }
            }
            if (cancellation.IsCancellationRequested)
            {
                Flush();
                Settle();
            }
        }
        finally
        {
            _consumer.Close();
        }
        progress?.Report(Progress);
        return Progress;
    }

    /// <summary>
    /// Whether a batch that is due keeps filling because the one before it is still being written (group commit): when the writer
    /// keeps up, batches stay at <see cref="WarehouseOptions.BatchSize"/>; under load they grow to <see cref="WarehouseOptions.MaxBatchRows"/>,
    /// which DuckDB writes straight into its file (a transaction that appends a row group's worth skips the write-ahead log and
    /// the checkpoint that copies it again), so the writer does less per row just when it is the limit.
    /// </summary>
    private bool GrowsWhileWriting() =>
        _writing is { Write.IsCompleted: false } && _batch.Documents.Count + _batch.Annotations.Count < _options.MaxBatchRows;

    private bool AllAtEnd()
    {
        var assigned = _consumer.Assignment;
        return assigned.Count > 0 && assigned.All(p => _atEnd.Contains(p.Partition.Value));
    }

    private void Add(int partition, long offset, Message<Ignore, CentralRecord?> message)
    {
        _atEnd.Remove(partition);
        _batch.FirstOffsets.TryAdd(partition, offset);
        _nextOffsets[partition] = offset + 1;
        if (message.Value is { } record) record.AddTo(_batch, partition, message.Timestamp.UtcDateTime);
        else
        {
            _batch.Unreadable++;
            _logger.LogWarning("Skipped the record at {Topic} [{Partition}] @{Offset}: not a Herald record (JSON with id and pipeline)", _options.Topic, partition, offset);
        }
    }

    /// <summary>Starts writing the pending batch (after the one before it is durable and committed) and reads on into a fresh one.</summary>
    private void Flush()
    {
        if (_failed) return;
        Settle();
        if (_batch.FirstOffsets.Count == 0) return;
        var batch = _batch;
        var next = batch.FirstOffsets.Keys.ToDictionary(p => p, p => _nextOffsets[p]);
        var offsets = next.Select(p => new TopicPartitionOffset(_options.Topic, p.Key, p.Value)).ToList();
        _writing = (Task.Run(() =>
        {
            batch.Compact(); // once: the stores then read the batch side by side
            // Each store on its own thread (DuckDB runs a query on one); the offsets wait for both, and a store's failure surfaces as itself.
            var writes = new List<Task>(2);
            if (_duckDb is { } duckDb) writes.Add(Task.Run(() => duckDb.Write(batch)));
            if (_parquet is { } parquet) writes.Add(Task.Run(() => parquet.Write(batch, next)));
            return Task.WhenAll(writes);
        }), batch, offsets);
        (_batch, _spare) = (_spare, null!);
    }

    /// <summary>Waits for the batch being written and commits its offsets, leaving out partitions this sink no longer owns.</summary>
    private void Settle(IReadOnlySet<int>? lost = null)
    {
        if (_failed || _writing is not { } writing) return;
        _writing = null;
        try
        {
            writing.Write.GetAwaiter().GetResult();
        }
        catch
        {
            _failed = true;
            throw;
        }
        var batch = writing.Batch;
        var offsets = lost is null ? writing.Offsets : writing.Offsets.Where(o => !lost.Contains(o.Partition.Value)).ToList();
        if (offsets.Count > 0) _consumer.Commit(offsets);
        (_records, _documents, _annotations, _unreadable) = (_records + batch.Records, _documents + batch.Documents.Count,
            _annotations + batch.Annotations.Count, _unreadable + batch.Unreadable);
        _batches++;
        batch.Clear();
        _spare = batch;
    }

    private void Assigned(IConsumer<Ignore, CentralRecord?> consumer, List<TopicPartition> partitions)
    {
        _logger.LogInformation("Warehouse sink assigned {Partitions}", string.Join(", ", partitions.Select(p => p.Partition.Value)));
        if (_parquet is null || partitions.Count == 0) return;
        // Files past the committed offset were written by a sink that stopped before committing: they are read again.
        _parquet.Reconcile(consumer.Committed(partitions, TimeSpan.FromSeconds(30))
            .ToDictionary(c => c.Partition.Value, c => Math.Max(0, c.Offset.Value)));
    }

    private void Revoked(List<TopicPartitionOffset> partitions)
    {
        // A batch holds records of partitions about to go elsewhere: write and commit it while they are still ours.
        Flush();
        Settle();
        foreach (var p in partitions) _atEnd.Remove(p.Partition.Value);
    }

    private void Lost(List<TopicPartitionOffset> partitions)
    {
        // Lost, not handed over: committing would fail; whatever is pending is read again by the new owner.
        _logger.LogWarning("Warehouse sink lost partitions {Partitions}; their pending records will be read again", string.Join(", ", partitions.Select(p => p.Partition.Value)));
        var lost = partitions.Select(p => p.Partition.Value).ToHashSet();
        Settle(lost);
        _batch.Documents.RemoveAll(d => lost.Contains(d.Partition));
        _batch.Annotations.RemoveAll(a => lost.Contains(a.Partition));
        foreach (var partition in lost)
        {
            _batch.FirstOffsets.Remove(partition);
            _atEnd.Remove(partition);
        }
    }

    public void Dispose()
    {
        _consumer.Dispose();
        _duckDb?.Dispose();
        _parquet?.Dispose();
    }
}

