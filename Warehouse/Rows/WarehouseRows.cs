namespace Herald.Warehouse.Rows;

/// <summary>
/// A row of <c>documents</c> (one per document, pipeline and pipeline version): its keys, and its columns as
/// <see cref="CentralRecordReader"/> read them out of the complete record's document. <see cref="Partition"/>: the input partition it
/// was read from (one lost to another sink takes its rows out of the pending batch).
/// </summary>
internal readonly record struct DocumentRow(
    int Partition,
    string Id,
    string Pipeline,
    string PipelineVersion,
    DocumentFields Fields,
    DateTimeOffset CompletedAt);

/// <summary>The columns of a document read from its JSON: a field that is absent or of another type is no value (SQL NULL).</summary>
internal readonly record struct DocumentFields(Utf8Value Text, Utf8Value Title, Utf8Value Source, Utf8Value Url, DateTimeOffset? PublishedAt, Utf8Value Metadata);

/// <summary>A row of <c>annotations</c> (one per document, pipeline, pipeline version and annotator), read from its <c>complete</c> record.</summary>
internal readonly record struct AnnotationRow(
    int Partition,
    string DocumentId,
    string Pipeline,
    string PipelineVersion,
    string Name,
    AnnotationFields Fields);

/// <summary>
/// The columns of an annotation read from its JSON. <see cref="Error"/> is a failure's <c>error</c> or a skip's <c>reason</c>;
/// <see cref="Value"/> is the value's JSON as written, no value for JSON null.
/// </summary>
internal readonly record struct AnnotationFields(
    Utf8Value Version, Utf8Value Status, Utf8Value Value, Utf8Value Error, double? DurationMs, int? Attempts, DateTimeOffset? At);

/// <summary>
/// A text column's value as UTF-8 bytes (kept in a batch's <see cref="ByteArena"/>, JSON escapes undone), or no value: DuckDB's
/// appender takes the bytes as they are.
/// </summary>
internal readonly record struct Utf8Value(ReadOnlyMemory<byte> Bytes, bool HasValue)
{
    public static readonly Utf8Value None = default;

    public static Utf8Value Of(ReadOnlyMemory<byte> bytes) => new(bytes, true);
}

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
