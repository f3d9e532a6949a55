using Herald.Contracts;

namespace Herald.Warehouse;

/// <summary>
/// Configuration section <c>Herald:Warehouse</c>: where the sink reads the central topic and what it writes. A silo runs
/// the sink when <see cref="Enabled"/>; <c>herald warehouse run</c> runs it on its own.
/// </summary>
public sealed class WarehouseOptions
{
    public const string Section = "Herald:Warehouse";

    public bool Enabled { get; set; }

    /// <summary>Kafka bootstrap servers; a silo fills in its own cluster's when empty.</summary>
    public string? BootstrapServers { get; set; }

    public string Topic { get; set; } = DefaultTopics.Annotations;

    /// <summary>The sink's own consumer group: its committed offsets say what the warehouse holds.</summary>
    public string ConsumerGroup { get; set; } = "herald-warehouse";

    /// <summary>The DuckDB file; null or empty writes none (Parquet only).</summary>
    public string? Database { get; set; } = "herald.duckdb";

    /// <summary>A directory for Parquet files (tables, then hive partitions); null writes none.</summary>
    public string? Parquet { get; set; }

    /// <summary>Records per write while the writer keeps up (under load, batches grow up to <see cref="MaxBatchRows"/>): one transaction, and one set of Parquet files, each.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>
    /// Rows a batch may grow to while the one before it is still being written (under load): a sink holds about twice this many rows
    /// (about 550 bytes each of the benchmark's records). The default is past DuckDB's row group (122,880 rows), the size it writes
    /// straight into its file.
    /// </summary>
    public int MaxBatchRows { get; set; } = 160_000;

    /// <summary>How long a batch may wait to fill before it is written anyway.</summary>
    public int BatchWaitMs { get; set; } = 1_000;

    /// <summary>Rows a query may return (GET /api/query): more are cut off and the answer says so.</summary>
    public int QueryMaxRows { get; set; } = 10_000;

    /// <summary>How long a query may run before it is interrupted.</summary>
    public int QueryTimeoutSeconds { get; set; } = 30;

    /// <summary>The problems with these options, empty when they can run.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers)) yield return "Herald:Warehouse:BootstrapServers is required";
        if (string.IsNullOrWhiteSpace(Database) && string.IsNullOrWhiteSpace(Parquet)) yield return "give a DuckDB file (Database), a Parquet directory (Parquet), or both";
        if (string.IsNullOrWhiteSpace(Topic)) yield return "Herald:Warehouse:Topic must name the central topic";
        if (string.IsNullOrWhiteSpace(ConsumerGroup)) yield return "Herald:Warehouse:ConsumerGroup must not be empty";
        if (BatchSize < 1) yield return $"Herald:Warehouse:BatchSize must be at least 1, not {BatchSize}";
        if (MaxBatchRows < 1) yield return $"Herald:Warehouse:MaxBatchRows must be at least 1, not {MaxBatchRows}";
        if (QueryMaxRows < 1) yield return $"Herald:Warehouse:QueryMaxRows must be at least 1, not {QueryMaxRows}";
        if (QueryTimeoutSeconds < 1) yield return $"Herald:Warehouse:QueryTimeoutSeconds must be at least 1, not {QueryTimeoutSeconds}";
        if (BatchWaitMs < 1) yield return $"Herald:Warehouse:BatchWaitMs must be at least 1, not {BatchWaitMs}";
    }
}
