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
public sealed class BoundedMemoryGrainStorage(int capacity, DeepCopier copier) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (object Value, long ETag)> _records = new();
    private readonly ConcurrentQueue<(string, GrainId)> _writeOrder = new();
    private long _etag;
    private int _count; // ConcurrentDictionary.Count takes every lock: too slow for each write

    public int Count => Volatile.Read(ref _count);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = copier.Copy((T)record.Value);
            grainState.ETag = record.ETag.ToString();
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = Interlocked.Increment(ref _etag);
        // Copying an [Immutable] state is free; mutable states must not alias the grain's copy.
        var key = (stateName, grainId);
        if (_records.TryAdd(key, (copier.Copy(grainState.State)!, etag)))
        {
            _writeOrder.Enqueue(key);
            Interlocked.Increment(ref _count);
            while (Count > capacity && _writeOrder.TryDequeue(out var oldest))
            {
                if (_records.TryRemove(oldest, out _)) Interlocked.Decrement(ref _count);
            }
        }
        else
        {
            _records[key] = (copier.Copy(grainState.State)!, etag);
        }
        grainState.ETag = etag.ToString();
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryRemove((stateName, grainId), out _)) Interlocked.Decrement(ref _count);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
