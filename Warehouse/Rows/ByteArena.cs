namespace Herald.Warehouse.Rows;

/// <summary>
/// The bytes a batch keeps (its rows' JSON), copied out of the consumer's buffers into chunks that are reused from batch to
/// batch: a record's own bytes are never retained, so the sink allocates little more per record than a bare consumer.
/// </summary>
internal sealed class ByteArena
{
    private const int ChunkSize = 1 << 20;
    private readonly List<byte[]> _chunks = [];
    private int _chunk = -1, _used = ChunkSize;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ChunkSize / 4) return bytes.ToArray(); // rare: a very long document
        if (_used + bytes.Length > ChunkSize)
        {
            if (++_chunk == _chunks.Count) _chunks.Add(new byte[ChunkSize]);
            _used = 0;
        }
        var memory = _chunks[_chunk].AsMemory(_used, bytes.Length);
        bytes.CopyTo(memory.Span);
        _used += bytes.Length;
        return memory;
    }

    /// <summary>Forgets every copy (the rows that held them are gone) and keeps the chunks for the next batch.</summary>
    public void Clear() => (_chunk, _used) = (-1, ChunkSize);
}
