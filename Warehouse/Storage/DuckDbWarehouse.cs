using DuckDB.NET.Data;
using Herald.Warehouse.Rows;

namespace Herald.Warehouse.Storage;

/// <summary>
/// The DuckDB file: each batch goes into <c>documents</c> and <c>annotations</c>, keyed, in one transaction, so a record read twice
/// leaves one row and a batch is either wholly durable or not there.
/// </summary>
internal sealed class DuckDbWarehouse : IDisposable
{
    private readonly DuckDBConnection _connection;

    public DuckDbWarehouse(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        _connection = new DuckDBConnection($"Data Source={path}");
        _connection.Open();
        Sql.Execute(_connection, WarehouseSchema.Tables);
        Sql.Execute(_connection, WarehouseSchema.Views);
        RowAppender.CreateStaging(_connection);
        // Queries run on this instance too (GET /api/query): no SQL may read or write files beyond the database itself.
        Sql.Execute(_connection, "SET enable_external_access = false");
        // One thread: the sink reads and parses on another, and a silo has its own work; batches are small enough for one.
        Sql.Execute(_connection, "SET threads = 1");
    }

    /// <summary>A connection of its own on the same database, for queries: they read a snapshot while batches commit.</summary>
    /// DuckDB.NET shares one database instance per file within a process, so this sees the same data and settings.
    public DuckDBConnection OpenQueryConnection()
    {
        var connection = new DuckDBConnection(_connection.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Called by the sink's loop only (one writer). A batch is appended to the tables; one that holds a key the tables have (a record
    /// read again, a run published twice) is rolled back and merged through the staging tables instead.
    /// </summary>
    public void Write(RowBatch batch)
    {
        try
        {
            using var transaction = _connection.BeginTransaction();
            RowAppender.ToTables(_connection, batch);
            transaction.Commit();
        }
        // A key the tables hold fails the append with a constraint error at Close, or mid-batch once the appender flushes on its own
        // (204,800 rows), where the error that surfaces may be Dispose's on the aborted transaction: any DuckDB error takes the merge,
        // and one that is not about keys fails there again.
        catch (DuckDBException)
        {
            using var transaction = _connection.BeginTransaction();
            RowAppender.ToStaging(_connection, batch);
            Sql.Execute(_connection, WarehouseSchema.MergeDocuments);
            Sql.Execute(_connection, WarehouseSchema.MergeAnnotations);
            RowAppender.ClearStaging(_connection);
            transaction.Commit();
        }
    }

    public void Dispose() => _connection.Dispose();
}
