using System.Runtime.InteropServices;
using System.Text;
using DuckDB.NET.Data;
using Herald.Warehouse.Rows;

namespace Herald.Warehouse.Storage;

/// <summary>
/// Appends a batch's rows with DuckDB's appender (the fast way in), typed as the tables are, to the tables themselves or to their
/// staging twins (<see cref="WarehouseSchema.Staging"/>), and empties the staging tables after. Text goes in as UTF-8 bytes: the
/// rows' values as read, the keys encoded on the stack (the appender's own string path allocates native memory per value).
/// </summary>
internal static class RowAppender
{
    public static void CreateStaging(DuckDBConnection connection) => Sql.Execute(connection, WarehouseSchema.Staging);

    /// <summary>Appends to the staging tables.</summary>
    public static void ToStaging(DuckDBConnection connection, RowBatch batch) =>
        Append(batch, () => connection.CreateAppender("temp", "main", "staging_documents"), () => connection.CreateAppender("temp", "main", "staging_annotations"));

    /// <summary>Appends to the keyed tables: a key they hold already fails the append with a constraint error.</summary>
    public static void ToTables(DuckDBConnection connection, RowBatch batch) =>
        Append(batch, () => connection.CreateAppender("documents"), () => connection.CreateAppender("annotations"));

    public static void ClearStaging(DuckDBConnection connection) => Sql.Execute(connection, "DELETE FROM staging_documents; DELETE FROM staging_annotations;");

    private static void Append(RowBatch batch, Func<DuckDBAppender> documents, Func<DuckDBAppender> annotations)
    {
        batch.Compact(); // the tables and Parquet files take one row per key
        using (var appender = documents())
        {
            foreach (var d in batch.Documents)
            {
                var row = appender.CreateRow();
                Key(row, d.Id);
                Key(row, d.Pipeline);
                Key(row, d.PipelineVersion);
                Text(row, d.Fields.Text);
                Text(row, d.Fields.Title);
                Text(row, d.Fields.Source);
                Text(row, d.Fields.Url);
                row.AppendValue(d.Fields.PublishedAt);
                Text(row, d.Fields.Metadata);
                Text(row, Complete);
                row.AppendValue((DateTimeOffset?)d.CompletedAt).EndRow();
            }
            // Close, not only Dispose: errors surface as exceptions (the appender flushes what it buffered here, and every 204,800 rows).
            appender.Close();
        }
        using (var appender = annotations())
        {
            foreach (var a in batch.Annotations)
            {
                var row = appender.CreateRow();
                Key(row, a.DocumentId);
                Key(row, a.Pipeline);
                Key(row, a.PipelineVersion);
                Key(row, a.Name);
                Text(row, a.Fields.Version);
                Text(row, a.Fields.Status);
                Text(row, a.Fields.Value);
                Text(row, a.Fields.Error);
                row.AppendValue(a.Fields.DurationMs).AppendValue(a.Fields.Attempts).AppendValue(a.Fields.At).EndRow();
            }
            appender.Close();
        }
    }

    private static readonly Utf8Value Complete = Utf8Value.Of("complete"u8.ToArray());

    private static void Text(IDuckDBAppenderRow row, Utf8Value value)
    {
        if (value.HasValue) Utf8(row, value.Bytes.Span);
        else row.AppendNullValue();
    }

    private static void Key(IDuckDBAppenderRow row, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        Utf8(row, buffer[..Encoding.UTF8.GetBytes(value, buffer)]);
    }

    // The appender copies the bytes before it returns; nothing writes through the span. An empty span would append NULL.
    private static void Utf8(IDuckDBAppenderRow row, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) row.AppendValue(string.Empty);
        else row.AppendValue(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(bytes), bytes.Length));
    }
}
