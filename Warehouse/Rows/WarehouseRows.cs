namespace Herald.Warehouse.Rows;

/// <summary>
/// A row of <c>documents</c> (one per document, pipeline and pipeline version), keyed here and left as its record's JSON: DuckDB
/// reads the columns out of <see cref="Json"/> (<see cref="Storage.WarehouseSchema"/>), so the sink never parses a text twice.
/// <see cref="Partition"/>: the input partition it was read from (one lost to another sink takes its rows out of the pending batch).
/// </summary>
internal readonly record struct DocumentRow(
    int Partition,
    string Id,
    string Pipeline,
    string PipelineVersion,
    ReadOnlyMemory<byte> Json,
    string CompletedAt);

/// <summary>
/// A row of <c>annotations</c> (one per document, pipeline, pipeline version and annotator), keyed here and left as its
/// <c>complete</c> record's JSON.
/// </summary>
internal readonly record struct AnnotationRow(
    int Partition,
    string DocumentId,
    string Pipeline,
    string PipelineVersion,
    string Name,
    ReadOnlyMemory<byte> Json);

/// <summary>The rows of a batch of records, in the order they were read.</summary>
internal sealed class RowBatch
{
    public List<DocumentRow> Documents { get; } = [];
    public List<AnnotationRow> Annotations { get; } = [];

    /// <summary>Where the rows' JSON is kept.</summary>
    public ByteArena Arena { get; } = new();

    /// <summary>Records that were not Herald records (not JSON, no id or pipeline): skipped, counted, logged.</summary>
    public int Unreadable { get; set; }

    public int Records { get; set; }

    private bool _compact;

    /// <summary>The first offset of each input partition in the batch (the Parquet manifest records them).</summary>
    public Dictionary<int, long> FirstOffsets { get; } = [];

    /// <summary>
    /// Keeps the latest row per key, so a batch writes each key once: a record read twice, or a run published twice (after a silo
    /// crash), repeats itself. Rows are in reading order: the last one wins.
    /// </summary>
    public void Compact()
    {
        // Once a batch is full: the stores then read it side by side, and a second call only reads this flag.
        if (_compact) return;
        _compact = true;
        KeepLatest(Annotations, static a => (a.DocumentId, a.Pipeline, a.PipelineVersion, a.Name));
        KeepLatest(Documents, static d => (d.Id, d.Pipeline, d.PipelineVersion, ""));
    }

    private static void KeepLatest<T>(List<T> rows, Func<T, (string, string, string, string)> key)
    {
        var latest = new Dictionary<(string, string, string, string), int>(rows.Count);
        for (var i = 0; i < rows.Count; i++) latest[key(rows[i])] = i;
        if (latest.Count == rows.Count) return;
        var kept = new bool[rows.Count];
        foreach (var i in latest.Values) kept[i] = true;
        var next = 0;
        for (var i = 0; i < rows.Count; i++)
            if (kept[i]) rows[next++] = rows[i];
        rows.RemoveRange(next, rows.Count - next);
    }

    public void Clear()
    {
        Documents.Clear();
        Annotations.Clear();
        FirstOffsets.Clear();
        Arena.Clear();
        (Unreadable, Records, _compact) = (0, 0, false);
    }
}
