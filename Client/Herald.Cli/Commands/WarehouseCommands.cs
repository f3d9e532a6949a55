using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Herald.Warehouse;
using Herald.Warehouse.Query;
using Herald.Warehouse.Sink;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary><c>herald warehouse run [--once]</c> (the central topic into DuckDB and Parquet) and <c>herald query "SQL"</c> (read-only SQL on it).</summary>
public static class WarehouseCommands
{
    public static IEnumerable<Command> Create(IAnsiConsole console, ClusterConnection cluster) => [Warehouse(console, cluster), Query(console)];

    private static Option<string> DatabaseOption() => new("--database") { Description = "the DuckDB file", DefaultValueFactory = _ => "herald.duckdb" };

    private static Command Warehouse(IAnsiConsole console, ClusterConnection cluster)
    {
        var once = new Option<bool>("--once") { Description = "stop once the topic is read to its end, instead of following it" };
        var database = DatabaseOption();
        var parquet = new Option<string?>("--parquet") { Description = "also (or, with --database '', only) write Parquet files under this directory" };
        var topic = new Option<string>("--topic") { Description = "the central topic", DefaultValueFactory = _ => new WarehouseOptions().Topic };
        var group = new Option<string>("--group") { Description = "the sink's consumer group", DefaultValueFactory = _ => new WarehouseOptions().ConsumerGroup };
        var batch = new Option<int>("--batch-size") { Description = "records per durable batch while the writer keeps up", DefaultValueFactory = _ => new WarehouseOptions().BatchSize };
        var maxRows = new Option<int>("--max-batch-rows")
        {
            Description = "rows a batch may grow to while the one before it is being written (under load)",
            DefaultValueFactory = _ => new WarehouseOptions().MaxBatchRows,
        };
        var run = cluster.With(new Command("run", "consume the central topic into the warehouse (Ctrl+C stops; offsets are committed after each durable batch)")
        {
            once, database, parquet, topic, group, batch, maxRows,
        });
        run.SetAction(async (parse, cancellation) =>
        {
            var options = new WarehouseOptions
            {
                BootstrapServers = parse.GetValue(cluster.Kafka),
                Database = parse.GetValue(database),
                Parquet = parse.GetValue(parquet),
                Topic = parse.GetValue(topic)!,
                ConsumerGroup = parse.GetValue(group)!,
                BatchSize = parse.GetValue(batch),
                MaxBatchRows = parse.GetValue(maxRows),
            };
            if (options.Problems().ToList() is { Count: > 0 } problems)
            {
                foreach (var problem in problems) console.MarkupLineInterpolated($"[red]error[/] {problem}");
                return ClusterConnection.BadInput;
            }
            using var sink = new WarehouseSink(options, NullLogger.Instance);
            var wrote = new Progress<WarehouseProgress>(p => console.MarkupLineInterpolated(
                $"{p.Records} records: {p.DocumentRows} document rows, {p.AnnotationRows} annotation rows{(p.Unreadable > 0 ? $", {p.Unreadable} unreadable" : "")}"));
            try
            {
                var done = await sink.RunAsync(parse.GetValue(once), cancellation, parse.GetValue(once) ? null : wrote);
                console.MarkupLineInterpolated($"warehouse: {done.Records} records from {options.Topic} in {done.Batches} batches: {done.DocumentRows} document rows, {done.AnnotationRows} annotation rows, {done.Unreadable} unreadable -> {Targets(options)}");
                return 0;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        });
        return new Command("warehouse", "the warehouse: the central topic as DuckDB tables and Parquet files") { run };
    }

    private static string Targets(WarehouseOptions o) =>
        string.Join(" and ", new[] { string.IsNullOrEmpty(o.Database) ? null : o.Database, string.IsNullOrEmpty(o.Parquet) ? null : $"{o.Parquet}/ (Parquet)" }.OfType<string>());

    private static Command Query(IAnsiConsole console)
    {
        var sql = new Argument<string>("sql") { Description = "one SELECT, e.g. \"SELECT name, count(*) FROM annotations GROUP BY name\"" };
        var database = DatabaseOption();
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var limit = new Option<int>("--max-rows") { Description = "rows shown at most", DefaultValueFactory = _ => 10_000 };
        var command = new Command("query", "run read-only SQL on the warehouse") { sql, database, format, limit };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(database)!;
            if (!WarehouseExists(console, path)) return ClusterConnection.BadInput;
            QueryResult result;
            try
            {
                // Read-only by DuckDB itself; files stay readable (read_parquet over the --parquet directory is a query too).
                using var connection = new DuckDBConnection($"Data Source={path};ACCESS_MODE=READ_ONLY");
                connection.Open();
                result = WarehouseQuery.Run(connection, parse.GetValue(sql)!, parse.GetValue(limit), TimeSpan.FromMinutes(10));
            }
            catch (QueryRefusedException e)
            {
                console.MarkupLineInterpolated($"[red]error[/] {e.Message}");
                return ClusterConnection.Refused;
            }
            catch (DuckDBException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
            {
                var reason = e.Message.Split('\n')[0];
                console.MarkupLineInterpolated($"[red]error[/] {path} is open for writing by another process (a running `herald warehouse run` or a silo's sink): query that silo with GET /api/query, or stop the sink ({reason})");
                return ClusterConnection.Refused;
            }
            Write(console, result, parse.GetValue(format)!);
            return 0;
        });
        return command;
    }

    /// <summary>Whether the DuckDB file is there; if not, says how to make it.</summary>
    internal static bool WarehouseExists(IAnsiConsole console, string path)
    {
        if (File.Exists(path)) return true;
        console.MarkupLineInterpolated($"[red]error[/] no warehouse at {path}: run `herald warehouse run --once` first, or give --database");
        return false;
    }

    private static void Write(IAnsiConsole console, QueryResult result, string format)
    {
        switch (format)
        {
            case "json":
                var rows = new JsonArray(result.Rows.Select(row =>
                    (JsonNode)new JsonObject(result.Columns.Select((c, i) => KeyValuePair.Create(c, row[i]?.DeepClone())))).ToArray());
                console.Profile.Out.Writer.WriteLine(rows.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                break;
            case "csv":
                var writer = console.Profile.Out.Writer;
                writer.WriteLine(string.Join(',', result.Columns.Select(Csv)));
                foreach (var row in result.Rows) writer.WriteLine(string.Join(',', row.Select(v => Csv(Text(v)))));
                break;
            default:
                var table = new Table().AddColumns(result.Columns.Select(c => new TableColumn(Markup.Escape(c))).ToArray());
                foreach (var row in result.Rows) table.AddRow(row.Select(v => Markup.Escape(Text(v))).ToArray());
                console.Write(table);
                console.MarkupLineInterpolated($"{result.Rows.Count} row(s){(result.Truncated ? " (more were cut off: --max-rows)" : "")}");
                break;
        }
    }

    private static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
