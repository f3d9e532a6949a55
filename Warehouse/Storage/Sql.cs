using DuckDB.NET.Data;

namespace Herald.Warehouse.Storage;

/// <summary>Runs a statement that returns nothing (schema, settings, merges) on a connection.</summary>
internal static class Sql
{
    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
