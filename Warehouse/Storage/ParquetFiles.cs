using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Herald.Warehouse.Rows;

namespace Herald.Warehouse.Storage;

/// <summary>
/// Parquet files for engines beyond one machine: <c>documents/pipeline=P/day=D/</c> and <c>annotations/pipeline=P/name=N/day=D/</c>
/// (hive partitions), written by DuckDB from an in-memory staging database. Files are named by the central topic's partition
/// and the batch's first offset there; a file whose offset the sink has not committed (a crash between writing and committing)
/// is deleted when the partition is assigned again, so the records it held are written once more, and once.
/// </summary>
internal sealed partial class ParquetFiles : IDisposable
{
    private readonly string _root;
    private readonly DuckDBConnection _staging = new("Data Source=:memory:");

    public ParquetFiles(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
        _staging.Open();
        Staging.Create(_staging);
    }

    public void Write(RowBatch batch)
    {
        Staging.Append(_staging, batch);
        try
        {
            var written = new List<string>();
            foreach (var (partition, first) in batch.FirstOffsets)
            {
                var name = FileName(partition, first);
                var where = $"kafka_partition = {partition}";
                // Files are append-only: a document and its annotations land once it is complete, from its complete record (running
                // rows would stay beside the final ones, and a run's annotations can straddle two batches).
                written.AddRange(Copy($"SELECT *, CAST(completed_at AS DATE) AS day FROM ({WarehouseSchema.LatestDocuments(where)}) WHERE status = 'complete'",
                    "documents", "pipeline, day", name));
                written.AddRange(Copy($"SELECT *, CAST(coalesce(\"at\", now()) AS DATE) AS day FROM ({WarehouseSchema.LatestAnnotations(where + " AND final")})",
                    "annotations", "pipeline, name, day", name));
            }
            Sync(written);
        }
        finally
        {
            Staging.Clear(_staging);
        }
    }

    /// <summary>Deletes the files of records at or after <paramref name="committed"/> in <paramref name="partition"/>: they will be read again.</summary>
    public void DiscardUncommitted(int partition, long committed)
    {
        foreach (var file in Directory.EnumerateFiles(_root, "*.parquet", SearchOption.AllDirectories))
        {
            var match = FilePattern().Match(Path.GetFileName(file));
            if (match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) == partition
                && long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) >= committed)
                File.Delete(file);
        }
    }

    /// <returns>The files written.</returns>
    private List<string> Copy(string select, string table, string partitionBy, string name)
    {
        var target = Path.Combine(_root, table).Replace("'", "''");
        using var command = _staging.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{target}' (FORMAT PARQUET, PARTITION_BY ({partitionBy}), OVERWRITE_OR_IGNORE, FILENAME_PATTERN '{name}_{{i}}', RETURN_FILES)";
        using var reader = command.ExecuteReader();
        var files = new List<string>();
        while (reader.Read())
            if (reader.GetValue(reader.GetOrdinal("Files")) is System.Collections.IEnumerable list)
                foreach (var file in list) files.Add(file.ToString()!);
        return files;
    }

    // DuckDB closes its files but does not flush them to the disk: the offsets are committed only after this.
    private static void Sync(List<string> files)
    {
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
            stream.Flush(flushToDisk: true);
        }
    }

    private static string FileName(int partition, long firstOffset) => $"p{partition}-o{firstOffset:D19}";

    [GeneratedRegex(@"^p(\d+)-o(\d{19})_\d+\.parquet$")]
    private static partial Regex FilePattern();

    public void Dispose() => _staging.Dispose();
}
