using Confluent.Kafka;
using Herald.Kafka.Hosting;
using Herald.Pipelines;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Ingestion;

/// <summary>
/// The reader's side of the group's rebalances, called by librdkafka on the reader's thread: partitions assigned start
/// at their committed offset (or where the pipeline's input says, pinned at once), partitions revoked are drained and
/// committed before they go, partitions lost are forgotten. A handler never throws (<see cref="Guarded{T}"/>).
/// </summary>
internal sealed partial class PipelineConsumer
{
    private T Guarded<T>(Func<T> handler, Func<T> fallback)
    {
        try
        {
            return handler();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Pipeline {Tag}: a rebalance step failed; its partitions are left to the group", _tag);
            return fallback();
        }
    }

    private void Guarded(Action handler) => Guarded<bool>(() => { handler(); return true; }, () => false);

    /// <summary>The group gave this silo partitions: each starts at its committed offset, or where the pipeline's input says.</summary>
    private IEnumerable<TopicPartitionOffset> Assigned(List<TopicPartition> partitions)
    {
        var timeout = _options.ConnectTimeout;
        if (_stopReading.IsCancellationRequested) return partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)); // leaving anyway
        var committed = UntilAnswered(() => _consumer.Committed(partitions, timeout).ToDictionary(c => c.Partition.Value, c => c.Offset));
        var starts = new List<TopicPartitionOffset>();
        var pins = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var offset = committed.GetValueOrDefault(partition.Partition.Value, Offset.Unset);
            if (offset == Offset.Unset)
            {
                offset = UntilAnswered(() => FirstOffset(partition, timeout));
                // Pinned at once: a "latest" group that restarted before its first commit would skip what came meanwhile.
                pins.Add(new TopicPartitionOffset(partition, offset));
            }
            _partitions[partition.Partition.Value] = new PartitionProgress(partition, offset.Value);
            starts.Add(new TopicPartitionOffset(partition, offset));
        }
        if (pins.Count > 0)
        {
            try
            {
                _consumer.Commit(pins);
            }
            catch (KafkaException e)
            {
                _logger.LogWarning("Pipeline {Tag} could not pin its start offsets: {Reason}", _tag, e.Error.Reason);
            }
        }
        if (starts.Count > 0) _logger.LogInformation("Pipeline {Tag} reads {Partitions} (group {Group})", _tag, string.Join(", ", starts.Select(s => $"{s.Topic} [{s.Partition.Value}] from offset {s.Offset.Value}")), Group);
        return starts;
    }

    /// <summary>A broker query during assignment: retried until answered, since the assignment cannot go on without it.</summary>
    private T UntilAnswered<T>(Func<T> query)
    {
        while (true)
        {
            try
            {
                return query();
            }
            catch (KafkaException e) when (!_stopReading.IsCancellationRequested)
            {
                _logger.LogWarning("Pipeline {Tag} cannot take its partitions yet ({Reason}): trying again", _tag, e.Error.Reason);
                Thread.Sleep(1000);
            }
        }
    }

    private Offset FirstOffset(TopicPartition partition, TimeSpan timeout)
    {
        var input = _pipelines.Find(_tag)?.Input ?? PipelineInput.Everything;
        var start = _options.ConsumerFor(_tag).StartFrom switch
        {
            StartPosition.Earliest => InputStart.Earliest,
            StartPosition.Latest => InputStart.Latest,
            _ => input.Start ?? InputStart.Earliest,
        };
        var watermarks = _consumer.QueryWatermarkOffsets(partition, timeout);
        if (start == InputStart.Earliest) return watermarks.Low;
        if (start == InputStart.Latest) return watermarks.High;
        var found = _consumer.OffsetsForTimes([new TopicPartitionTimestamp(partition, new Timestamp(input.StartTime!.Value))], timeout).Single().Offset;
        if (found.Value >= 0) return found;
        // The embedded broker (librdkafka's mock cluster) answers every lookup by time with "nothing yet": say so, since a real cluster would not.
        if (_connection.IsEmbedded)
            _logger.LogWarning("Pipeline {Tag} starts {Partition} at its end: the embedded broker cannot look up offsets by time ({Start:O}); a configured cluster can",
                _tag, partition, input.StartTime);
        return watermarks.High; // nothing at or after that time yet: from the end
    }

    /// <summary>Partitions leave this silo in good order: their documents in flight may finish (within the drain timeout), then what settled is committed.</summary>
    private void Revoked(List<TopicPartitionOffset> revoked)
    {
        var leaving = revoked.Select(r => _partitions.GetValueOrDefault(r.Partition.Value)).OfType<PartitionProgress>().ToList();
        // What was only read ahead is not started: the next owner reads it (the commit stays below it).
        foreach (var partition in leaving) partition.Backlog.Clear();
        var deadline = _time.GetUtcNow() + _options.DrainTimeout;
        while (leaving.Any(p => p.Running > 0) && _time.GetUtcNow() < deadline)
        {
            ApplyFinished();
            Thread.Sleep(10);
        }
        ApplyFinished();
        var commits = leaving.Select(p => new TopicPartitionOffset(p.Partition, p.Window.CommitOffset)).ToList();
        try
        {
            if (commits.Count > 0) _consumer.Commit(commits);
        }
        catch (KafkaException e)
        {
            _logger.LogWarning("Pipeline {Tag} could not commit {Partitions} on hand-over: {Reason}", _tag, string.Join(", ", commits), e.Error.Reason);
        }
        Forget(leaving);
        if (commits.Count > 0) _logger.LogInformation("Pipeline {Tag} handed over {Partitions}", _tag, string.Join(", ", commits.Select(c => $"[{c.Partition.Value}] at {c.Offset.Value}")));
    }

    /// <summary>Partitions taken away without a hand-over (this silo was too slow to answer the group): nothing to commit, they are someone else's.</summary>
    private void Lost(List<TopicPartitionOffset> lost)
    {
        _logger.LogWarning("Pipeline {Tag} lost {Partitions} to the group; their documents in flight will be read again", _tag, string.Join(", ", lost.Select(l => l.Partition.Value)));
        Forget(lost.Select(l => _partitions.GetValueOrDefault(l.Partition.Value)).OfType<PartitionProgress>().ToList());
    }

    private void Forget(List<PartitionProgress> partitions)
    {
        foreach (var partition in partitions)
        {
            // librdkafka keeps a pause across reassignment: a partition that came back would never be fetched again.
            if (partition.Paused) _consumer.Resume([partition.Partition]);
            _partitions.Remove(partition.Partition.Partition.Value);
            _lag.Remove(_tag, partition.Partition.Topic, partition.Partition.Partition.Value);
        }
    }
}
