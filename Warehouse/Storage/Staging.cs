using DuckDB.NET.Data;
using Herald.Warehouse.Rows;

namespace Herald.Warehouse.Storage;

/// <summary>Appends a batch's rows to a connection's staging tables (DuckDB's appender: the fast way in) and empties them after.</summary>
internal static class Staging
{
    public static void Create(DuckDBConnection connection) => Sql.Execute(connection, WarehouseSchema.Staging);

    public static void Append(DuckDBConnection connection, RowBatch batch)
    {
        batch.Compact(); // the merges and Parquet files take one row per key
        using (var documents = connection.CreateAppender("temp", "main", "staging_documents"))
        {
            foreach (var d in batch.Documents)
                documents.CreateRow().AppendValue(d.Id).AppendValue(d.Pipeline)
                    .AppendValue(d.PipelineVersion).AppendValue(d.Text).AppendValue(d.Title).AppendValue(d.Source).AppendValue(d.Url)
                    .AppendValue(d.PublishedAt).AppendValue(d.Metadata).AppendValue(d.Status).AppendValue(d.CompletedAt).EndRow();
        }
        using (var annotations = connection.CreateAppender("temp", "main", "staging_annotations"))
        {
            foreach (var a in batch.Annotations)
                annotations.CreateRow().AppendValue(a.DocumentId).AppendValue(a.Pipeline)
                    .AppendValue(a.PipelineVersion).AppendValue(a.Name).AppendValue(a.Version).AppendValue(a.Status).AppendValue(a.Value)
                    .AppendValue(a.Error).AppendValue(a.DurationMs).AppendValue(a.Attempts).AppendValue(a.At).AppendValue(a.Final).EndRow();
        }
    }

    public static void Clear(DuckDBConnection connection) => Sql.Execute(connection, "DELETE FROM staging_documents; DELETE FROM staging_annotations;");
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
