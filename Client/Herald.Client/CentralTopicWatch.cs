using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Herald.Contracts;

namespace Herald.Client;

/// <summary>
/// One pipeline's <c>complete</c> records on the central topic: one consumer polls on its own thread and hands records
/// to the reader through a bounded channel, so a slow reader slows the consumer instead of growing memory.
/// </summary>
internal sealed class CentralTopicWatch(ConsumerConfig config, string topic, string pipeline, bool fromBeginning)
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] Complete = Encoding.UTF8.GetBytes(RecordEvents.Complete);
    private readonly byte[] _pipeline = Encoding.UTF8.GetBytes(pipeline);

    public async IAsyncEnumerable<DocumentRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var consumer = new ConsumerBuilder<byte[]?, byte[]>(config).Build();
        try
        {
            // Positions are fixed by the first MoveNextAsync, not when a group rebalance eventually assigns them: nothing
            // completing after it is missed. The metadata requests block: off the caller's thread.
            await Task.Run(() =>
            {
                var partitions = Partitions(consumer.Handle, topic, config.BootstrapServers);
                consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, fromBeginning ? Offset.Beginning : consumer.QueryWatermarkOffsets(p, MetadataTimeout).High)));
            }, cancellationToken);
        }
        catch
        {
            consumer.Dispose();
            throw;
        }
        var channel = Channel.CreateBounded<DocumentRecord>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var consuming = Task.Factory.StartNew(() => Consume(consumer, channel.Writer, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var record in channel.Reader.ReadAllAsync(cancellationToken)) yield return record;
        }
        finally
        {
            await stop.CancelAsync();
            await consuming;
        }
    }

    private void Consume(IConsumer<byte[]?, byte[]> consumer, ChannelWriter<DocumentRecord> writer, CancellationToken stop)
    {
        using var owned = consumer;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var record = consumer.Consume(stop);
                if (!Is(record, RecordHeaders.Event, Complete) || !Is(record, RecordHeaders.Pipeline, _pipeline)) continue;
                DocumentRecord parsed;
                try
                {
                    parsed = DocumentRecord.Parse(record.Message.Value);
                }
                catch (JsonException)
                {
                    continue; // not Herald's record format: someone else wrote to the topic
                }
                while (!writer.TryWrite(parsed))
                    if (!writer.WaitToWriteAsync(stop).AsTask().GetAwaiter().GetResult()) return;
            }
            writer.TryComplete();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    /// <summary>A topic's partitions; fails fast, with the address, when no Kafka broker answers (a client would otherwise retry for its whole timeout).</summary>
    internal static List<TopicPartition> Partitions(Handle handle, string topic, string bootstrapServers)
    {
        using var admin = new DependentAdminClientBuilder(handle).Build();
        try
        {
            return [.. admin.GetMetadata(topic, MetadataTimeout).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId))];
        }
        catch (KafkaException e)
        {
            throw new HeraldUnreachableException($"no Kafka broker answers at {bootstrapServers} ({e.Error.Reason}); is the address right (--kafka, HERALD_KAFKA)?", e);
        }
    }

    private static bool Is(ConsumeResult<byte[]?, byte[]> record, string header, ReadOnlySpan<byte> value) =>
        record.Message.Headers.TryGetLastBytes(header, out var bytes) && bytes.AsSpan().SequenceEqual(value);
}
