using System.Runtime.InteropServices;
using System.Text;
using DuckDB.NET.Data;
using Herald.Warehouse.Rows;

namespace Herald.Warehouse.Storage;

/// <summary>
/// Appends a batch's rows to a connection's staging tables (DuckDB's appender: the fast way in) and empties them after. Every value
/// goes in as UTF-8 bytes: the JSON slices straight from the records, the keys encoded on the stack (the appender's own string
/// path allocates native memory per value).
/// </summary>
internal static class Staging
{
    public static void Create(DuckDBConnection connection) => Sql.Execute(connection, WarehouseSchema.Staging);

    public static void Append(DuckDBConnection connection, RowBatch batch)
    {
        batch.Compact(); // the merges and Parquet files take one row per key
        using (var documents = connection.CreateAppender("temp", "main", "staging_documents"))
        {
            foreach (var d in batch.Documents)
                Text(Text(Text(documents.CreateRow(), d.Id), d.Pipeline), d.PipelineVersion)
                    .AppendValue(Bytes(d.Json)).AppendValue(d.CompletedAt).EndRow();
        }
        using (var annotations = connection.CreateAppender("temp", "main", "staging_annotations"))
        {
            foreach (var a in batch.Annotations)
                Text(Text(Text(Text(annotations.CreateRow(), a.DocumentId), a.Pipeline), a.PipelineVersion), a.Name)
                    .AppendValue(Bytes(a.Json)).EndRow();
        }
    }

    public static void Clear(DuckDBConnection connection) => Sql.Execute(connection, "DELETE FROM staging_documents; DELETE FROM staging_annotations;");

    // The appender copies the bytes before it returns; nothing writes through this span.
    private static Span<byte> Bytes(ReadOnlyMemory<byte> json) => MemoryMarshal.AsMemory(json).Span;

    private static IDuckDBAppenderRow Text(IDuckDBAppenderRow row, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        return row.AppendValue(buffer[..Encoding.UTF8.GetBytes(value, buffer)]);
    }
}

internal static class Sql
{
    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
