using System.Text.Json;
using DuckDB.NET.Data;
using Herald.Warehouse.Rows;

namespace Herald.Warehouse.Storage;

/// <summary>
/// Parquet files for engines beyond one machine: <c>documents/pipeline=P/day=D/</c> and <c>annotations/pipeline=P/name=N/day=D/</c>
/// (hive partitions), written by DuckDB from an in-memory staging database, one set of files per batch. Before its files, a
/// batch writes a manifest (<c>_batches/NAME.json</c>: the central topic's partitions and offsets it holds). A sink commits a
/// batch's offsets together, so when partitions are assigned again, a batch whose offsets were not committed (a crash between
/// writing and committing) has its files deleted, and its records, read again, land once.
/// </summary>
internal sealed class ParquetFiles : IDisposable
{
    private readonly string _root;
    private readonly string _manifests;
    private readonly DuckDBConnection _staging = new("Data Source=:memory:");

    public ParquetFiles(string root)
    {
        _root = Path.GetFullPath(root);
        _manifests = Path.Combine(_root, "_batches");
        Directory.CreateDirectory(_manifests);
        _staging.Open();
        RowAppender.CreateStaging(_staging);
    }

    /// <param name="nextOffsets">Per partition of the batch, the offset after its last record.</param>
    public void Write(RowBatch batch, IReadOnlyDictionary<int, long> nextOffsets)
    {
        var name = $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():n}"[..26];
        var manifest = batch.FirstOffsets.ToDictionary(p => p.Key.ToString(), p => new[] { p.Value, nextOffsets[p.Key] });
        WriteDurably(Path.Combine(_manifests, $"{name}.json"), JsonSerializer.SerializeToUtf8Bytes(manifest));
        RowAppender.ToStaging(_staging, batch);
        try
        {
            var written = Copy("SELECT *, CAST(completed_at AS DATE) AS day FROM staging_documents", "documents", "pipeline, day", name);
            written.AddRange(Copy("SELECT *, CAST(coalesce(\"at\", now()) AS DATE) AS day FROM staging_annotations", "annotations", "pipeline, name, day", name));
            Sync(written);
        }
        finally
        {
            RowAppender.ClearStaging(_staging);
        }
    }

    /// <summary>
    /// For partitions just assigned with their committed offsets: deletes the files of batches that were never committed, and
    /// forgets the manifests of batches that were.
    /// </summary>
    public void Reconcile(IReadOnlyDictionary<int, long> committed)
    {
        var files = Directory.EnumerateFiles(_root, "*.parquet", SearchOption.AllDirectories).ToLookup(f => Path.GetFileName(f).Split('_')[0]);
        foreach (var path in Directory.EnumerateFiles(_manifests, "*.json"))
        {
            Dictionary<string, long[]>? manifest;
            try
            {
                manifest = JsonSerializer.Deserialize<Dictionary<string, long[]>>(File.ReadAllBytes(path));
            }
            catch (JsonException)
            {
                manifest = null; // torn by a crash while it was written: no file of its batch was written either
            }
            var name = Path.GetFileNameWithoutExtension(path);
            var mine = manifest?.Where(p => committed.ContainsKey(int.Parse(p.Key))).ToList() ?? [];
            if (manifest is not null && mine.Count == 0) continue; // another sink's partitions
            if (manifest is null || mine.Any(p => committed[int.Parse(p.Key)] < p.Value[1]))
                foreach (var file in files[name]) File.Delete(file);
            File.Delete(path);
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

    private static void WriteDurably(string path, byte[] content)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
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

    public void Dispose() => _staging.Dispose();
}
