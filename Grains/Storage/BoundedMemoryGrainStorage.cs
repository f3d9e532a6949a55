using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Herald.Grains.Storage;

/// <summary>
/// Grain storage kept in this silo's memory, bounded to <paramref name="capacity"/> records (oldest written
/// first out). The embedded default for completed documents: as durable as Orleans' memory storage (gone with
/// the silo) but without a grain call per read and write, and without unbounded growth. Production clusters
/// configure a real provider under the same name.
/// </summary>
/// <remarks>
/// Each state is kept serialized, as one byte array. A completed document as objects is a graph of some twenty
/// (records, outputs, strings); a hundred thousand of them in the oldest generation made every full garbage
/// collection trace millions of objects, and the churn of evicting them triggered one every few seconds. An array
/// of bytes has nothing to trace. Serializing is also a deep copy, so a stored state never aliases a grain's.
/// Writes and clears check the version (ETag) the writer holds, as Orleans' providers do.
/// </remarks>
internal sealed class BoundedMemoryGrainStorage(int capacity, Serializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (byte[] Value, long ETag)> _records = new();
    private readonly ConcurrentQueue<(string, GrainId)> _writeOrder = new();
    private long _etag;
    private int _count; // ConcurrentDictionary.Count takes every lock: too slow for each write

    public int Count => Volatile.Read(ref _count);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = serializer.Deserialize<T>(record.Value);
            grainState.ETag = record.ETag.ToString();
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var value = serializer.SerializeToArray(grainState.State);
        var etag = Interlocked.Increment(ref _etag);
        while (true)
        {
            if (_records.TryGetValue(key, out var stored))
            {
                ThrowIfStale(stored.ETag, grainState.ETag, "write", stateName, grainId);
                if (_records.TryUpdate(key, (value, etag), stored)) break;
            }
            else if (_records.TryAdd(key, (value, etag)))
            {
                _writeOrder.Enqueue(key);
                Interlocked.Increment(ref _count);
                while (Count > capacity && _writeOrder.TryDequeue(out var oldest))
                {
                    if (_records.TryRemove(oldest, out _)) Interlocked.Decrement(ref _count);
                }
                break;
            }
        }
        grainState.ETag = etag.ToString();
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        while (_records.TryGetValue(key, out var stored))
        {
            ThrowIfStale(stored.ETag, grainState.ETag, "clear", stateName, grainId);
            if (_records.TryRemove(new KeyValuePair<(string, GrainId), (byte[], long)>(key, stored)))
            {
                Interlocked.Decrement(ref _count);
                break;
            }
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    // Optimistic concurrency, as Orleans' storage providers do: a writer must hold the version it last read or wrote.
    // A record this store no longer holds (evicted) accepts any writer, as if it had never been written.
    private static void ThrowIfStale(long stored, string? held, string operation, string stateName, GrainId grainId)
    {
        var current = stored.ToString();
        if (held != current)
            throw new InconsistentStateException(
                $"cannot {operation} {stateName} of {grainId}: it was changed since this activation read it (version {held ?? "none"}, stored {current})",
                current, held ?? "");
    }
}
