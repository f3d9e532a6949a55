using DuckDB.NET.Data;
using Herald.Grains.Documents;
using Herald.Warehouse.Query;
using Herald.Warehouse.Rows;
using Herald.Warehouse.Storage;

namespace Herald.Tests.Warehouse;

/// <summary>The warehouse's stores on real files: central-topic records (written by Herald's own encoder) into DuckDB and Parquet.</summary>
public sealed class WarehouseStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("herald-warehouse-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The records one document's run publishes in an emission mode, as the Kafka sink encodes them.</summary>
    private static List<byte[]> Records(string id, string mode, string version = "v1")
    {
        var document = new DocumentInput(id, $"Quorra Labs raised $8 million ({id}).", "Quorra raises",
            $$$"""{"id": "{{{id}}}", "text": "Quorra Labs raised $8 million ({{{id}}}).", "title": "Quorra raises", "source": "Wire", "publishedAt": "2026-11-24T08:00:00Z", "metadata": {"lang": "en"}}""");
        AnnotationRecord[] annotations =
        [
            new("entities", "1.0.0", AnnotationStatus.Done, new AnnotationOutput("""{"entities": [{"text": "Quorra Labs", "label": "ORG", "start": 0, "end": 11, "score": 0.9}]}""", null), null, 1.5, 1, Start),
            new("money", "1.0.0", AnnotationStatus.Done, new AnnotationOutput("""{"amounts": [], "largest": {"amount": 8000000, "currency": "USD", "text": "$8 million"}}""", null), null, 0.5, 1, Start),
            new("signal", "1.0.0", AnnotationStatus.Done, new AnnotationOutput(
                """{"type": "funding_round", "confidence": 0.9, "amount": {"amount": 8000000, "currency": "USD", "text": "$8 million"}, "date": null, "companies": [{"name": "Quorra Labs", "role": "investee"}], "people": []}""", null), null, 0.2, 1, Start),
            new("broken", "1.0.0", AnnotationStatus.Failed, null, "timed out after 5s", 5000, 3, Start),
        ];
        var records = new List<byte[]>();
        var parts = new DocumentSnapshotJson.RecordParts();
        for (var n = 1; n <= annotations.Length; n++)
        {
            var running = new DocumentSnapshot("news", version, document, annotations[..n], DocumentStatus.Running, n, Start, null);
            if (mode == "All") records.Add(DocumentSnapshotJson.ToUtf8(running, parts));
            if (mode == "Deltas") records.Add(DocumentSnapshotJson.DeltaToUtf8(running));
        }
        records.Add(DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("news", version, document, annotations, DocumentStatus.Complete, annotations.Length + 1, Start, Start.AddSeconds(2))));
        return records;
    }

    private static RowBatch Batch(IEnumerable<byte[]> records, int partition = 0, long firstOffset = 0)
    {
        var batch = new RowBatch();
        batch.FirstOffsets[partition] = firstOffset;
        foreach (var record in records)
        {
            var read = CentralRecordReader.Read(record, batch.Arena);
            Assert.NotNull(read);
            read.AddTo(batch, partition, Start);
        }
        return batch;
    }

    private static string Text(Utf8Value value) => value.HasValue ? System.Text.Encoding.UTF8.GetString(value.Bytes.Span) : "null";

    private DuckDbWarehouse Open(string name = "herald.duckdb") => new(Path.Combine(_folder.FullName, name));

    private static List<string> Rows(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private const string AllRows = """
        SELECT d.id, d.pipeline, d.pipeline_version, d.title, d.source, d.published_at, d.metadata->>'lang', d.status, d.completed_at,
               a.name, a.version, a.status, a.value->>'$.largest.currency', a.error, a.duration_ms, a.attempts, a."at"
        FROM documents d JOIN annotations a ON a.document_id = d.id AND a.pipeline = d.pipeline AND a.pipeline_version = d.pipeline_version
        ORDER BY d.id, a.name
        """;

    [Fact]
    public void Every_emission_mode_lands_the_same_rows_and_a_record_read_twice_leaves_one_row()
    {
        var results = new Dictionary<string, List<string>>();
        foreach (var mode in new[] { "All", "Complete", "Deltas" })
        {
            using var warehouse = Open($"{mode}.duckdb");
            var records = Records("n-1", mode).Concat(Records("n-2", mode)).ToList();
            warehouse.Write(Batch(records));
            // Redelivered after a crash: the same records again, in a later batch and within one.
            warehouse.Write(Batch(records.Concat(records), firstOffset: 100));
            using var connection = warehouse.OpenQueryConnection();
            results[mode] = Rows(connection, AllRows);
            Assert.Equal(["2"], Rows(connection, "SELECT count(*) FROM documents"));
            Assert.Equal(["8"], Rows(connection, "SELECT count(*) FROM annotations"));
        }
        Assert.Equal(results["All"], results["Complete"]);
        Assert.Equal(results["All"], results["Deltas"]);
        Assert.Contains(results["All"], r => r.StartsWith("n-1|news|v1|Quorra raises|Wire|") && r.Contains("|en|complete|") && r.Contains("|broken|1.0.0|failed|null|timed out after 5s|5000|3|"));
    }

    [Fact]
    public void A_record_is_read_by_its_json_not_its_spelling_and_anything_else_is_not_a_herald_record()
    {
        var arena = new ByteArena();
        // Another producer's spelling: escaped names, another order, fields the warehouse does not read.
        var record = CentralRecordReader.Read("""
            {"extra": [1, {"id": "no"}], "annotations": {"ent\u0069ties": {"version": "1.0.0"}, "ev\u0065nt-type": {"version": "2.0.0", "status": "done"}},
             "status": "complete", "pipeline": {"version": "v1", "owner": {"tag": "no"}, "t\u0061g": "news"}, "id": "x-1", "document": {"id": "x-1", "text": "t"}}
            """u8, arena);
        Assert.NotNull(record);
        Assert.Equal(("x-1", "news", "v1", true), (record.Id, record.Pipeline, record.PipelineVersion, record.Complete));
        Assert.Equal(["entities", "event-type"], record.Annotations.Select(a => a.Name));
        var eventType = record.Annotations[1].Fields;
        Assert.Equal(("2.0.0", "done", false), (Text(eventType.Version), Text(eventType.Status), eventType.Value.HasValue));
        // A running record is read (it is a Herald record) but brings no rows: its complete record will bring them all.
        var running = CentralRecordReader.Read("""{"id": "x-2", "pipeline": {"tag": "news", "version": "v1"}, "document": {"id": "x-2"}, "annotations": {"a": {}, "b": {"v": 1}}, "status": "running"}"""u8, arena);
        Assert.Equal(("x-2", false), (running!.Id, running.Complete));
        Assert.Empty(running.Annotations);
        Assert.Null(running.Document);
        // Herald writes a record's keys and status first: a running one is read up to them, and what it carries is never looked at.
        var head = CentralRecordReader.Read("""{"id": "x-5", "pipeline": {"tag": "news", "version": "v1"}, "status": "running", "sequence": 3, "annotations": {"a": {"v": 1}}}"""u8, arena);
        Assert.Equal(("x-5", false, 0), (head!.Id, head.Complete, head.Annotations.Count));
        Assert.Null(CentralRecordReader.Read("""{"id": "x-3", "pipeline": "news"}"""u8, arena));
        Assert.Null(CentralRecordReader.Read("""{"id": 3, "pipeline": {"tag": "news", "version": "v1"}}"""u8, arena));
        Assert.Null(CentralRecordReader.Read("""{"id": "", "pipeline": {"tag": "news", "version": "v1"}, "status": "complete"}"""u8, arena));
        Assert.Null(CentralRecordReader.Read("""{"id": "x-4", "pipeline": {"tag": "news", "version": "v1"}, "annotations": {"a": """u8, arena));
    }

    [Fact]
    public void Columns_are_read_typed_from_the_record_escapes_undone_and_a_field_of_another_type_is_null_in_duckdb_and_parquet()
    {
        // Another producer's record: escapes, fields of other types, times in other forms, no completedAt (the record's timestamp).
        var record = """
            {"id": "t-1", "pipeline": {"tag": "news", "version": "v1"}, "status": "complete",
             "document": {"id": "t-1", "text": "Line\n\"quoted\" caf\u00e9", "title": 42, "source": null, "url": "https://example.com/a",
                          "publishedAt": "2026-03-04 09:00:00+01", "metadata": null},
             "annotations": {
               "": {"version": "1.0.0", "status": "done"},
               "a": {"version": "1.0.0", "status": "done", "value": null, "durationMs": "fast", "attempts": 2.5, "at": "not a date"},
               "b": {"status": "skipped", "reason": "dependency 'a' failed", "value": {"k": [1, 2]}, "at": "2026-03-04T08:00:00"},
               "c": {"version": "1.0.0", "status": "failed", "error": "boom", "reason": "not this", "durationMs": 12.5, "attempts": 3,
                     "at": "2026-03-04T09:00:00+01:00"}}}
            """u8.ToArray();
        using var warehouse = Open();
        var root = Path.Combine(_folder.FullName, "parquet");
        using (var parquet = new ParquetFiles(root))
        {
            warehouse.Write(Batch([record]));
            parquet.Write(Batch([record]), new Dictionary<int, long> { [0] = 1 });
        }
        const string documents = """
            SELECT text, title IS NULL, source IS NULL, url, strftime(published_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M'), metadata IS NULL,
                   status, strftime(completed_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM {0}
            """;
        const string annotations = """
            SELECT name, version, status, CAST(value AS VARCHAR), error, duration_ms, attempts, strftime("at" AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M')
            FROM {0} ORDER BY name
            """;
        string[] expectedDocuments = ["Line\n\"quoted\" café|True|True|https://example.com/a|2026-03-04 08:00|True|complete|2026-11-25 09:00"];
        // A time without an offset is the host's, as the silo reads a document's publishedAt.
        var local = new DateTimeOffset(new DateTime(2026, 3, 4, 8, 0, 0, DateTimeKind.Unspecified), TimeZoneInfo.Local.GetUtcOffset(new DateTime(2026, 3, 4, 8, 0, 0)));
        string[] expectedAnnotations =
        [
            "|1.0.0|done|null|null|null|null|null",
            "a|1.0.0|done|null|null|null|null|null",
            $"b||skipped|{{\"k\": [1, 2]}}|dependency 'a' failed|null|null|{local.UtcDateTime:yyyy-MM-dd HH:mm}",
            "c|1.0.0|failed|null|boom|12.5|3|2026-03-04 08:00",
        ];
        using var connection = warehouse.OpenQueryConnection();
        Assert.Equal(expectedDocuments, Rows(connection, string.Format(documents, "documents")));
        Assert.Equal(expectedAnnotations, Rows(connection, string.Format(annotations, "annotations")));
        using var reader = new DuckDBConnection("Data Source=:memory:");
        reader.Open();
        Assert.Equal(expectedDocuments, Rows(reader, string.Format(documents, $"read_parquet('{root}/documents/**/*.parquet')")));
        Assert.Equal(expectedAnnotations, Rows(reader, string.Format(annotations, $"read_parquet('{root}/annotations/**/*.parquet', hive_partitioning = true)")));

        // A string no text can hold (an escaped lone surrogate) makes the record unreadable, not the sink fail.
        Assert.Null(CentralRecordReader.Read("""{"id": "t-2", "pipeline": {"tag": "news", "version": "v1"}, "status": "complete", "document": {"text": "\ud800"}}"""u8, new ByteArena()));
    }

    [Fact]
    public void A_document_lands_only_with_its_complete_record_when_its_running_records_come_in_an_earlier_batch()
    {
        using var warehouse = Open();
        var records = Records("n-1", "All");
        warehouse.Write(Batch(records[..^1]));
        using var connection = warehouse.OpenQueryConnection();
        Assert.Equal(["0|0"], Rows(connection, "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM annotations)"));
        warehouse.Write(Batch(records[^1..], firstOffset: records.Count - 1));
        Assert.Equal(["Quorra raises|2026-11-25 09:00:02+00"], Rows(connection, "SELECT title, strftime(completed_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') || '+00' FROM documents"));
    }

    [Fact]
    public void A_run_published_twice_leaves_the_later_annotations_and_the_batch_that_repeats_it_lands_whole()
    {
        using var warehouse = Open();
        warehouse.Write(Batch(Records("n-1", "Complete")));
        // The run again (a silo crashed while publishing it), now with another result, in a batch with a new document: the
        // plain insert fails on the known key, and the batch goes in by merging instead.
        var again = System.Text.Encoding.UTF8.GetString(Records("n-1", "Complete")[0]).Replace("timed out after 5s", "timed out after 9s");
        warehouse.Write(Batch([System.Text.Encoding.UTF8.GetBytes(again), .. Records("n-2", "Complete")], firstOffset: 1));
        using var connection = warehouse.OpenQueryConnection();
        Assert.Equal(["n-1|timed out after 9s", "n-2|timed out after 5s"], Rows(connection, "SELECT document_id, error FROM annotations WHERE name = 'broken' ORDER BY ALL"));
        Assert.Equal(["2|8"], Rows(connection, "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM annotations)"));
    }

    [Fact]
    public void A_running_record_read_after_the_complete_one_does_not_undo_it()
    {
        using var warehouse = Open();
        var records = Records("n-1", "All");
        warehouse.Write(Batch(records));
        warehouse.Write(Batch(records.Take(2), firstOffset: 10));
        using var connection = warehouse.OpenQueryConnection();
        Assert.Equal(["complete"], Rows(connection, "SELECT status FROM documents"));
        Assert.Equal(["4"], Rows(connection, "SELECT count(*) FROM annotations"));
    }

    [Fact]
    public void The_views_flatten_entities_and_signals_and_queries_select_by_annotation_type_and_version()
    {
        using var warehouse = Open();
        warehouse.Write(Batch(Records("n-1", "All").Concat(Records("n-1", "All", version: "v2"))));
        using var connection = warehouse.OpenQueryConnection();
        Assert.Equal(["Quorra Labs|ORG|0|11", "Quorra Labs|ORG|0|11"], Rows(connection, "SELECT text, label, start_char, end_char FROM entities"));
        Assert.Equal(["funding_round|8000000|USD|v1", "funding_round|8000000|USD|v2"],
            Rows(connection, "SELECT type, amount, currency, pipeline_version FROM signals ORDER BY pipeline_version"));
        var byVersion = WarehouseQuery.Run(connection, "SELECT name, version, count(*) AS n FROM annotations WHERE pipeline_version = 'v2' AND name = 'money' GROUP BY ALL", 100, TimeSpan.FromSeconds(10));
        Assert.Equal(["name", "version", "n"], byVersion.Columns);
        Assert.Equal("money", byVersion.Rows.Single()[0]!.GetValue<string>());
        Assert.Equal(1, byVersion.Rows.Single()[2]!.GetValue<long>());
    }

    [Theory]
    [InlineData("DELETE FROM documents", "only a SELECT query is allowed")]
    [InlineData("DROP TABLE annotations", "only a SELECT query is allowed")]
    [InlineData("SELECT 1; DELETE FROM documents", "only a SELECT query is allowed")]
    [InlineData("SELECT 1; SELECT 2", "exactly one SELECT")]
    [InlineData("COPY documents TO '/tmp/out.csv'", "only a SELECT query is allowed")]
    [InlineData("SELECT * FROM read_text('/etc/hostname')", "file system operations are disabled")]
    [InlineData("SELECT * FROM nowhere", "nowhere")]
    [InlineData("", "empty")]
    public void Queries_are_read_only_and_refused_with_the_reason(string sql, string reason)
    {
        using var warehouse = Open();
        warehouse.Write(Batch(Records("n-1", "All")));
        using var connection = warehouse.OpenQueryConnection();
        var refused = Assert.Throws<QueryRefusedException>(() => WarehouseQuery.Run(connection, sql, 100, TimeSpan.FromSeconds(10)));
        Assert.Contains(reason, refused.Message);
        Assert.Equal(["1"], Rows(connection, "SELECT count(*) FROM documents"));
    }

    [Fact]
    public void Queries_are_bounded_in_rows_and_time()
    {
        using var warehouse = Open();
        using var connection = warehouse.OpenQueryConnection();
        var cut = WarehouseQuery.Run(connection, "SELECT * FROM range(50)", 10, TimeSpan.FromSeconds(10));
        Assert.Equal(10, cut.Rows.Count);
        Assert.True(cut.Truncated);
        var slow = Assert.Throws<QueryRefusedException>(() => WarehouseQuery.Run(connection, "SELECT count(*) FROM range(1000000000000)", 10, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("ran longer than", slow.Message);
    }

    [Fact]
    public void Parquet_files_hold_each_record_once_and_files_past_the_committed_offset_are_discarded()
    {
        var root = Path.Combine(_folder.FullName, "parquet");
        using var parquet = new ParquetFiles(root);
        parquet.Write(Batch(Records("n-1", "All"), partition: 0, firstOffset: 0), new Dictionary<int, long> { [0] = 5 });
        parquet.Write(Batch(Records("n-2", "All"), partition: 1, firstOffset: 0), new Dictionary<int, long> { [1] = 5 });
        // Written but never committed (the sink died after writing): its records will be read again from offset 5.
        parquet.Write(Batch(Records("n-3", "All"), partition: 1, firstOffset: 5), new Dictionary<int, long> { [1] = 10 });
        // Another sink's batch of a partition not assigned here is left alone.
        parquet.Write(Batch(Records("n-4", "All"), partition: 2, firstOffset: 0), new Dictionary<int, long> { [2] = 5 });
        parquet.Reconcile(new Dictionary<int, long> { [0] = 5, [1] = 5 });

        using var reader = new DuckDBConnection("Data Source=:memory:");
        reader.Open();
        var annotations = Path.Combine(root, "annotations", "**", "*.parquet");
        var documents = Path.Combine(root, "documents", "**", "*.parquet");
        Assert.Equal(["n-1|entities|news|2026-11-25", "n-1|money|news|2026-11-25", "n-2|entities|news|2026-11-25", "n-2|money|news|2026-11-25",
                "n-4|entities|news|2026-11-25", "n-4|money|news|2026-11-25"],
            Rows(reader, $"SELECT document_id, name, pipeline, CAST(day AS VARCHAR) FROM read_parquet('{annotations}', hive_partitioning = true) WHERE name IN ('entities', 'money') ORDER BY ALL"));
        Assert.Equal(["n-1|complete", "n-2|complete", "n-4|complete"], Rows(reader, $"SELECT id, status FROM read_parquet('{documents}', hive_partitioning = true) ORDER BY id"));
        Assert.True(Directory.Exists(Path.Combine(root, "annotations", "pipeline=news", "name=signal", "day=2026-11-25")));
        Assert.Single(Directory.GetFiles(Path.Combine(root, "_batches"))); // committed batches' manifests are forgotten; the other sink's stays
    }
}
