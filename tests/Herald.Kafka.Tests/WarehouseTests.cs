using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using DuckDB.NET.Data;
using Herald.Grains.Documents;
using Herald.Kafka.Embedded;
using Herald.Warehouse;
using Herald.Warehouse.Sink;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Kafka.Tests;

/// <summary>The warehouse over a real broker: the sink in a silo (GET /api/query), the CLI's sink killed mid-run, and a backfill that reuses.</summary>
[Trait("Category", "process")]
[Collection(HttpSiloCollection.Name)]
public sealed class WarehouseTests(HttpSilo silo)
{
    private string[] Cluster => ["--url", silo.BaseAddress.ToString(), "--kafka", silo.Broker.BootstrapServers, "--token", HttpSilo.Token];

    [Fact]
    public async Task The_silo_keeps_a_warehouse_that_the_query_endpoint_reads_behind_the_token_and_read_only()
    {
        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, [KafkaPipelineCluster.Document("wh-api-1"), KafkaPipelineCluster.Document("wh-api-2")]);
        using var client = silo.Operator();
        var sql = "SELECT a.name, a.status FROM annotations a JOIN documents d ON d.id = a.document_id AND d.pipeline = a.pipeline " +
                  "WHERE d.id = 'wh-api-1' AND d.status = 'complete' ORDER BY a.name";
        JsonObject? answer = null;
        await KafkaTestClient.WaitUntilAsync(() =>
        {
            answer = client.GetFromJsonAsync<JsonObject>($"api/query?sql={Uri.EscapeDataString(sql)}").GetAwaiter().GetResult();
            return answer!["rows"]!.AsArray().Count == 5;
        }, TimeSpan.FromSeconds(60));
        Assert.Equal(["dates", "entities", "event-type", "money", "signal"], answer!["rows"]!.AsArray().Select(r => (string)r![0]!));
        Assert.Equal(["name", "status"], answer["columns"]!.AsArray().Select(c => (string)c!));

        using var anonymous = silo.Anonymous();
        var unauthenticated = await anonymous.GetAsync($"api/query?sql={Uri.EscapeDataString("SELECT 1")}");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/query?sql={Uri.EscapeDataString("SELECT 1")}")).StatusCode);

        var write = await client.GetAsync($"api/query?sql={Uri.EscapeDataString("DELETE FROM documents")}");
        Assert.Equal(HttpStatusCode.BadRequest, write.StatusCode);
        Assert.Contains("only a SELECT query is allowed", await write.Content.ReadAsStringAsync());
        var file = await client.GetAsync($"api/query?sql={Uri.EscapeDataString("SELECT * FROM read_text('/etc/passwd')")}");
        Assert.Equal(HttpStatusCode.BadRequest, file.StatusCode);
        var still = await client.GetFromJsonAsync<JsonObject>($"api/query?sql={Uri.EscapeDataString("SELECT count(*) AS n FROM documents WHERE id = 'wh-api-1'")}");
        Assert.Equal(1, (long)still!["rows"]![0]![0]!);
    }

    [Fact]
    public async Task A_sink_killed_mid_run_loses_nothing_and_writes_nothing_twice_to_duckdb_or_parquet()
    {
        await using var broker = new EmbeddedKafkaBroker();
        const string topic = "herald.annotations";
        broker.CreateTopic(topic, 3);
        const int documents = 3_000;
        Produce(broker, topic, "d", documents);
        var folder = Directory.CreateTempSubdirectory("herald-warehouse-kill-").FullName;
        var database = Path.Combine(folder, "herald.duckdb");
        var parquet = Path.Combine(folder, "parquet");
        string[] sink = ["warehouse", "run", "--kafka", broker.BootstrapServers, "--database", database, "--parquet", parquet, "--batch-size", "300", "--max-batch-rows", "600"];

        var kafka = new KafkaTestClient(broker.BootstrapServers);
        using (var running = new ChildProcess("dotnet", [SiloProcess.HeraldCli, .. sink], null))
        {
            // Killed once some batches are committed and others are not.
            await KafkaTestClient.WaitUntilAsync(() => kafka.Committed("herald-warehouse", topic, 3).Where(o => o > 0).Sum() > 2_000, TimeSpan.FromSeconds(90));
        }
        var committed = kafka.Committed("herald-warehouse", topic, 3).Where(o => o > 0).Sum();
        Assert.True(committed < documents * 3, $"the sink finished ({committed} records committed) before it could be killed");

        var (exit, output) = await CliTests.HeraldAsync([.. sink, "--once"]);
        Assert.True(exit == 0, output);

        using var connection = new DuckDBConnection($"Data Source={database};ACCESS_MODE=READ_ONLY");
        connection.Open();
        Assert.Equal(documents, Scalar(connection, "SELECT count(*) FROM documents WHERE status = 'complete'"));
        Assert.Equal(documents * 2, Scalar(connection, "SELECT count(*) FROM annotations"));
        Assert.Equal(documents * 2, Scalar(connection, $"SELECT count(*) FROM read_parquet('{parquet}/annotations/**/*.parquet', hive_partitioning = true)"));
        Assert.Equal(documents * 2, Scalar(connection, $"SELECT count(DISTINCT (document_id, name)) FROM read_parquet('{parquet}/annotations/**/*.parquet', hive_partitioning = true)"));
        Assert.Equal(documents, Scalar(connection, $"SELECT count(*) FROM read_parquet('{parquet}/documents/**/*.parquet', hive_partitioning = true)"));

        // `herald query` as README shows it, in each format, and read-only.
        string[] query = ["query", "SELECT name, status, count(*) FROM annotations GROUP BY ALL ORDER BY ALL", "--database", database];
        var (table, tableOutput) = await CliTests.HeraldAsync(query);
        Assert.True(table == 0, tableOutput);
        Assert.Matches(@"entities\s*│\s*done\s*│\s*3000", tableOutput);
        var (csv, csvOutput) = await CliTests.HeraldAsync([.. query, "--format", "csv"]);
        Assert.True(csv == 0, csvOutput);
        Assert.Contains("entities,done,3000", csvOutput);
        var (json, jsonOutput) = await CliTests.HeraldAsync([.. query, "--format", "json"]);
        Assert.True(json == 0, jsonOutput);
        Assert.Equal(3000, (long)JsonNode.Parse(jsonOutput)!.AsArray().Single(r => (string)r!["name"]! == "money")!["count_star()"]!);
        var (delete, deleteOutput) = await CliTests.HeraldAsync(["query", "DELETE FROM annotations", "--database", database]);
        Assert.Equal(1, delete);
        Assert.Contains("only a SELECT query is allowed", deleteOutput);
        Assert.Equal(documents * 2, Scalar(connection, "SELECT count(*) FROM annotations"));
    }

    [Fact]
    public async Task Batches_grow_while_the_one_before_is_being_written_and_stop_at_their_row_cap()
    {
        await using var broker = new EmbeddedKafkaBroker();
        const string topic = "herald.annotations";
        broker.CreateTopic(topic, 1);
        const int documents = 2_000;
        Produce(broker, topic, "g", documents);
        var folder = Directory.CreateTempSubdirectory("herald-warehouse-batches-").FullName;
        var options = new WarehouseOptions
        {
            BootstrapServers = broker.BootstrapServers, Topic = topic, ConsumerGroup = $"g-{Guid.NewGuid():n}", Database = Path.Combine(folder, "herald.duckdb"),
            BatchSize = 10, MaxBatchRows = 1_500,
        };
        WarehouseProgress done;
        using (var sink = new WarehouseSink(options, NullLogger.Instance))
            done = await sink.RunAsync(once: true, CancellationToken.None);

        Assert.Equal((documents * 3L, documents * 1L, documents * 2L), (done.Records, done.DocumentRows, done.AnnotationRows));
        // 600 batches of 10 records if each were written alone; a DuckDB commit takes far longer than reading 10 records, so the
        // pending batch grows meanwhile, but never past its cap of 1,500 rows (a record brings at most 3): at least 6,000 / 1,502 batches.
        Assert.InRange(done.Batches, 4, 100);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_batch_that_cannot_be_written_stops_the_sink_without_committing_the_batches_after_it()
    {
        await using var broker = new EmbeddedKafkaBroker();
        const string topic = "herald.annotations";
        broker.CreateTopic(topic, 1);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build())
        {
            // A complete record (rows) first, then running records only (no rows): the batches after the first write no file and so
            // do not fail; a sink that went on writing after the first failed (its close flushes) would commit past it.
            var records = Records("f-1").ToList();
            producer.Produce(topic, new Message<string, byte[]> { Key = "f-1", Value = records[^1] });
            for (var i = 0; i < 200; i++) producer.Produce(topic, new Message<string, byte[]> { Key = "f-1", Value = records[0] });
            producer.Flush(TimeSpan.FromSeconds(60));
        }
        var folder = Directory.CreateTempSubdirectory("herald-warehouse-fail-").FullName;
        var parquet = Path.Combine(folder, "parquet");
        Directory.CreateDirectory(Path.Combine(parquet, "annotations"));
        File.WriteAllText(Path.Combine(parquet, "annotations", "pipeline=news"), "a file where a partition's directory goes: its files cannot be written");
        var group = $"f-{Guid.NewGuid():n}";
        var options = new WarehouseOptions { BootstrapServers = broker.BootstrapServers, Topic = topic, ConsumerGroup = group, Database = "", Parquet = parquet, BatchSize = 1 };
        using (var sink = new WarehouseSink(options, NullLogger.Instance))
            await Assert.ThrowsAnyAsync<Exception>(() => sink.RunAsync(once: true, CancellationToken.None));

        // Nothing committed: the failed batch's record is read again by the next sink, not skipped.
        Assert.True(new KafkaTestClient(broker.BootstrapServers).Committed(group, topic, 1)[0] <= 0);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_backfill_runs_only_what_changed_and_reuses_the_rest_from_the_warehouse()
    {
        var ids = Enumerable.Range(0, 6).Select(i => $"bf-{i}").ToList();
        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, ids.Select(id => KafkaPipelineCluster.Document(id)));
        silo.Kafka.ReadUntil(HttpSilo.Annotations, rs => ids.All(id => rs.Any(r => r.Message.Key == id && r.Message.Value.Contains("\"status\":\"complete\""))), TimeSpan.FromSeconds(60));

        // A warehouse of the central topic as it is now, kept by a sink of the test's own (the silo's holds its file open).
        var database = Path.Combine(Directory.CreateTempSubdirectory("herald-backfill-").FullName, "herald.duckdb");
        using (var sink = new WarehouseSink(new WarehouseOptions { BootstrapServers = silo.Broker.BootstrapServers, Database = database, ConsumerGroup = $"bf-{Guid.NewGuid():n}" }, NullLogger.Instance))
            await sink.RunAsync(once: true, CancellationToken.None);

        // A new version of event-type: it and the signal that depends on it run again; entities, money and dates are reused.
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pipelines", "news-rules.yaml"))
            .Replace("pipeline: news-rules", "pipeline: news-backfill\ninput: { start: latest }")
            .Replace("name: event-type\n    version: 1.0.0", "name: event-type\n    version: 1.1.0");
        var file = Path.Combine(Path.GetDirectoryName(database)!, "news-backfill.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var (deployed, deployOutput) = await CliTests.HeraldAsync(["pipelines", "deploy", file, .. Cluster]);
        Assert.True(deployed == 0, deployOutput);
        try
        {
            await BackfillAndAssertAsync(database);
        }
        finally
        {
            // The fixture's silo is shared: a pipeline left deployed would read the input topic of the other tests.
            using var client = silo.Operator();
            await client.DeleteAsync("api/pipelines/news-backfill");
        }
    }

    private async Task BackfillAndAssertAsync(string database)
    {
        var calls = await AnnotatorCallsAsync("news-backfill");
        var (exit, output) = await CliTests.HeraldAsync(["backfill", "news-backfill", "--from", "warehouse", "--database", database, "--where", "id LIKE 'bf-%'",
            "--progress-file", Path.Combine(Path.GetDirectoryName(database)!, "progress"), .. Cluster]);
        Assert.True(exit == 0, output);
        Assert.Matches(@"documents\s*│\s*6\b", output);
        Assert.Matches(@"reused\s*│\s*18\b", output);
        Assert.Contains("model time saved", output);

        var after = await AnnotatorCallsAsync("news-backfill");
        Assert.Equal(6, after.GetValueOrDefault("event-type") - calls.GetValueOrDefault("event-type"));
        Assert.Equal(6, after.GetValueOrDefault("signal") - calls.GetValueOrDefault("signal"));
        foreach (var unchanged in new[] { "entities", "money", "dates" }) Assert.Equal(calls.GetValueOrDefault(unchanged), after.GetValueOrDefault(unchanged));

        using var client = silo.Operator();
        var record = (await client.GetFromJsonAsync<JsonObject>("api/documents/news-backfill/bf-0"))!;
        var annotations = record["annotations"]!.AsObject();
        Assert.Equal("1.1.0", (string)annotations["event-type"]!["version"]!);
        Assert.Null(annotations["event-type"]!["reused"]);
        Assert.True((bool)annotations["money"]!["reused"]!);
        Assert.Equal("USD", (string)annotations["money"]!["value"]!["largest"]!["currency"]!);
        Assert.Equal("done", (string)annotations["signal"]!["status"]!);

        // Run again: every document is already done on this version, so nothing runs.
        var (again, againOutput) = await CliTests.HeraldAsync(["backfill", "news-backfill", "--from", "warehouse", "--database", database, "--where", "id LIKE 'bf-%'", .. Cluster]);
        Assert.True(again == 0, againOutput);
        Assert.Equal(after, await AnnotatorCallsAsync("news-backfill"));

        // From the input topic since a time: only what was written since then is read (3 documents, not the other tests').
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var fresh = Enumerable.Range(0, 3).Select(i => $"bfi-{i}").ToList();
        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, fresh.Select(id => KafkaPipelineCluster.Document(id)));
        var (input, inputOutput) = await CliTests.HeraldAsync(["backfill", "news-backfill", "--from", "input", "--since", since.ToString("O"), "--database", database,
            "--progress-file", Path.Combine(Path.GetDirectoryName(database)!, "progress-input"), .. Cluster]);
        Assert.True(input == 0, inputOutput);
        Assert.Matches(@"documents\s*│\s*3\b", inputOutput);
        foreach (var id in fresh) Assert.Equal("complete", (string)(await client.GetFromJsonAsync<JsonObject>($"api/documents/news-backfill/{id}"))!["status"]!);
    }

    /// <summary>How many times the silo called each annotator of a pipeline (its duration histogram counts calls, not reused or skipped results).</summary>
    private async Task<Dictionary<string, long>> AnnotatorCallsAsync(string pipeline)
    {
        using var client = silo.Anonymous();
        var metrics = await client.GetStringAsync("metrics");
        return metrics.Split('\n')
            .Where(l => l.StartsWith("herald_annotation_duration_milliseconds_count{", StringComparison.Ordinal) && l.Contains($"pipeline=\"{pipeline}\""))
            .Select(l => (Annotator: System.Text.RegularExpressions.Regex.Match(l, "annotator=\"([^\"]+)\"").Groups[1].Value, Count: long.Parse(l[(l.LastIndexOf(' ') + 1)..])))
            .GroupBy(x => x.Annotator).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>Documents <c>{prefix}-00000</c> onwards, each its three records (<see cref="Records"/>).</summary>
    private static void Produce(EmbeddedKafkaBroker broker, string topic, string prefix, int documents)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        for (var i = 0; i < documents; i++)
            foreach (var record in Records($"{prefix}-{i:D5}"))
                producer.Produce(topic, new Message<string, byte[]> { Key = $"{prefix}-{i:D5}", Value = record });
        producer.Flush(TimeSpan.FromSeconds(60));
    }

    /// <summary>A document's records in emission mode All: two annotations and the complete record.</summary>
    private static IEnumerable<byte[]> Records(string id)
    {
        var at = DateTimeOffset.Parse("2026-11-25T09:00:00Z");
        var document = new DocumentInput(id, "Quorra Labs raised $8 million.", null, $$"""{"id": "{{id}}", "text": "Quorra Labs raised $8 million."}""");
        AnnotationRecord[] annotations =
        [
            new("money", "1.0.0", AnnotationStatus.Done, new AnnotationOutput("""{"amounts": []}""", null), null, 0.5, 1, at),
            new("entities", "1.0.0", AnnotationStatus.Done, new AnnotationOutput("""{"entities": []}""", null), null, 0.5, 1, at),
        ];
        yield return DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("news", "v1", document, annotations[..1], DocumentStatus.Running, 1, at, null));
        yield return DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("news", "v1", document, annotations, DocumentStatus.Running, 2, at, null));
        yield return DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("news", "v1", document, annotations, DocumentStatus.Complete, 3, at, at.AddSeconds(1)));
    }
}
