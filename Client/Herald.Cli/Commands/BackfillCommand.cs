using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using DuckDB.NET.Data;
using Herald.Client;
using Herald.Contracts;
using Herald.Warehouse.Query;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald backfill PIPELINE --from warehouse|input</c>: runs history again through a pipeline's current version. Each document
/// goes with the results of its best earlier run in the warehouse, and the cluster reuses those whose annotator and dependencies
/// did not change. Resumable: finished ids are appended to a progress file, and the cluster answers a document already done on
/// this version from its record.
/// </summary>
public static class BackfillCommand
{
    public static Command Create(IAnsiConsole console, ClusterConnection cluster)
    {
        var pipeline = new Argument<string>("pipeline") { Description = "the deployed pipeline to run documents through (its current version)" };
        var from = new Option<string>("--from") { Description = "warehouse: the documents the warehouse holds; input: the input topic from its start", Required = true };
        from.AcceptOnlyFromAmong("warehouse", "input");
        var since = new Option<DateTimeOffset?>("--since") { Description = "only documents published (warehouse: else completed; input: written to the topic) since this time" };
        var where = new Option<string?>("--where") { Description = "SQL over the warehouse's documents columns, e.g. \"source = 'The Quarterly Wire'\" (with --from warehouse)" };
        var database = new Option<string>("--database") { Description = "the DuckDB warehouse (earlier results to reuse)", DefaultValueFactory = _ => "herald.duckdb" };
        var topic = new Option<string>("--topic") { Description = "the input topic (with --from input)", DefaultValueFactory = _ => DefaultTopics.Input };
        var concurrency = new Option<int>("--concurrency") { Description = "documents in flight", DefaultValueFactory = _ => 8 };
        var state = new Option<string?>("--progress-file") { Description = "where finished ids are kept for resuming (default: .herald-backfill-PIPELINE)" };
        var command = cluster.With(new Command("backfill", "run history through a pipeline's current version, reusing unchanged annotations")
            { pipeline, from, since, where, database, topic, concurrency, state });
        command.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, async () =>
        {
            var request = new BackfillRun(parse.GetValue(pipeline)!, parse.GetValue(from)!, parse.GetValue(since), parse.GetValue(where), parse.GetValue(database)!,
                parse.GetValue(topic)!, Math.Max(1, parse.GetValue(concurrency)), parse.GetValue(state) ?? $".herald-backfill-{parse.GetValue(pipeline)}");
            if (request.Where is not null && request.From != "warehouse")
            {
                console.MarkupLine("[red]error[/] --where filters the warehouse's documents: use it with --from warehouse");
                return ClusterConnection.BadInput;
            }
            if (request.From == "warehouse" && !WarehouseCommands.WarehouseExists(console, request.Database)) return ClusterConnection.BadInput;
            using var client = cluster.Client(parse);
            return await request.RunAsync(console, client, parse.GetValue(cluster.Kafka)!, cancellation);
        }));
        return command;
    }

    private sealed record BackfillRun(string Pipeline, string From, DateTimeOffset? Since, string? Where, string Database, string Topic, int Concurrency, string ProgressFile)
    {
        public async Task<int> RunAsync(IAnsiConsole console, HeraldClient client, string kafka, CancellationToken cancellation)
        {
            var deployed = (await client.GetPipelinesAsync(cancellation)).FirstOrDefault(p => p.Tag == Pipeline);
            if (deployed is null)
            {
                console.MarkupLineInterpolated($"[red]error[/] no pipeline '{Pipeline}' is deployed: deploy its new version first (herald pipelines deploy)");
                return ClusterConnection.Refused;
            }
            var version = deployed.Version;
            var wanted = deployed.Annotators.Select(a => $"{a.Name}@{a.Version}").ToHashSet();
            using var warehouse = File.Exists(Database) ? new DuckDBConnection($"Data Source={Database};ACCESS_MODE=READ_ONLY") : null;
            warehouse?.Open();
            var history = warehouse is null ? null : new WarehouseHistory(warehouse);
            var done = Resume(version);
            var documents = (From == "warehouse" ? history!.Documents(Since, Where) : InputDocuments(kafka)).Where(d => !done.Contains((string?)d["id"] ?? "")).ToList();

            var summary = new Summary { Resumed = done.Count };
            var clock = Stopwatch.StartNew();
            await using (var progressFile = new StreamWriter(ProgressFile, append: true))
            {
                if (done.Count == 0) await progressFile.WriteLineAsync($"# {Pipeline} {version}");
                await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()).StartAsync(async progress =>
                {
                    var bar = progress.AddTask($"backfilling {documents.Count} documents through {Pipeline} {version}", maxValue: Math.Max(1, documents.Count));
                    await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellation }, async (document, token) =>
                    {
                        var id = (string?)document["id"] ?? "";
                        IReadOnlyList<ReusedAnnotation> reuse;
                        lock (summary) reuse = history is null ? [] : Reuse(history.BestEarlierRun(id, (string?)document["text"] ?? "", Pipeline, version, wanted));
                        try
                        {
                            var record = await client.BackfillAsync(Pipeline, document, reuse, token);
                            lock (summary)
                            {
                                summary.Count(record);
                                progressFile.WriteLine(id);
                                progressFile.Flush();
                            }
                        }
                        catch (HeraldApiException e) when (e.Status is 400 or 409 or 504)
                        {
                            lock (summary) summary.Refused.Add($"{id}: {e.Detail}");
                        }
                        bar.Increment(1);
                    });
                });
            }
            summary.Print(console, Pipeline, version, clock.Elapsed);
            if (summary.Refused.Count == 0) File.Delete(ProgressFile);
            return summary.Refused.Count == 0 ? 0 : ClusterConnection.Refused;
        }

        private HashSet<string> Resume(string version)
        {
            if (!File.Exists(ProgressFile)) return [];
            var lines = File.ReadAllLines(ProgressFile);
            // A progress file of another version is stale: that backfill is over, this one starts from the beginning.
            if (lines.Length == 0 || lines[0] != $"# {Pipeline} {version}")
            {
                File.Delete(ProgressFile);
                return [];
            }
            return lines.Skip(1).ToHashSet();
        }

        private static List<ReusedAnnotation> Reuse(IReadOnlyList<EarlierAnnotation> earlier) =>
            [.. earlier.Select(a => new ReusedAnnotation(a.Name, a.Version, JsonElement.Parse(a.Value), a.DurationMs, a.Attempts, a.At))];

        /// <summary>The input topic from its start (or --since) to where it ends now, as documents; ones that are not are refused by the cluster.</summary>
        private IEnumerable<JsonObject> InputDocuments(string kafka)
        {
            using var consumer = new ConsumerBuilder<string?, string>(new ConsumerConfig
            {
                BootstrapServers = kafka, GroupId = $"herald-backfill-{Guid.NewGuid():n}", EnableAutoCommit = false, EnablePartitionEof = true,
            }).Build();
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka }).Build();
            var metadata = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single();
            if (metadata.Error.IsError) throw new HeraldUnreachableException($"cannot read the input topic {Topic} at {kafka}: {metadata.Error.Reason}", null!);
            var partitions = metadata.Partitions.Select(p => new TopicPartition(Topic, p.PartitionId)).ToList();
            var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
            // Seek by time where the broker can say (a lookup it cannot answer starts from the beginning); records are filtered by time too.
            var starts = Since is { } from
                ? consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(p, new Timestamp(from.UtcDateTime))), TimeSpan.FromSeconds(10))
                    .Select(o => o.Offset.Value >= 0 ? o : new TopicPartitionOffset(o.TopicPartition, Offset.Beginning)).ToList()
                : partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)).ToList();
            consumer.Assign(starts);
            var open = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
            while (open.Count > 0)
            {
                var result = consumer.Consume(TimeSpan.FromSeconds(10));
                if (result is null) break;
                if (result.IsPartitionEOF || result.Offset.Value >= ends[result.Partition.Value] - 1) open.Remove(result.Partition.Value);
                if (result.IsPartitionEOF || result.Message?.Value is null) continue;
                if (Since is { } since && result.Message.Timestamp.UtcDateTime < since.UtcDateTime) continue;
                JsonObject? document;
                try
                {
                    document = JsonNode.Parse(result.Message.Value) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    document = null;
                }
                if (document is null) continue; // dead-lettered when it arrived; nothing to run again
                if (document["id"] is null && result.Message.Key is { } key) document["id"] = key;
                yield return document;
            }
        }
    }

    private sealed class Summary
    {
        public int Documents, Ran, Reused, Failed, Skipped, Resumed;
        public double SavedMs;
        public List<string> Refused { get; } = [];

        public void Count(DocumentRecord record)
        {
            Documents++;
            foreach (var annotation in record.Annotations.Values)
            {
                if (annotation.Reused)
                {
                    Reused++;
                    SavedMs += annotation.DurationMs;
                }
                else if (annotation.Status == AnnotationStatus.Skipped) Skipped++;
                else
                {
                    Ran++;
                    if (annotation.Status == AnnotationStatus.Failed) Failed++;
                }
            }
        }

        public void Print(IAnsiConsole console, string pipeline, string version, TimeSpan elapsed)
        {
            var table = new Table().AddColumns("backfill", $"{pipeline} {version}");
            table.AddRow("documents", $"{Documents}{(Resumed > 0 ? $" (+{Resumed} done before resuming)" : "")}");
            table.AddRow("annotators run", Ran.ToString());
            table.AddRow("reused", Reused.ToString());
            table.AddRow("failed", $"{Failed} annotations, {Refused.Count} documents refused");
            table.AddRow("skipped", Skipped.ToString());
            table.AddRow("model time saved", $"{SavedMs / 1000:0.###} s");
            table.AddRow("time", $"{elapsed.TotalSeconds:0.0} s");
            console.Write(table);
            foreach (var refusal in Refused.Take(20)) console.MarkupLineInterpolated($"[yellow]refused[/] {refusal}");
        }
    }
}
