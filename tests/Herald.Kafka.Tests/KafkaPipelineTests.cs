using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using static Herald.Kafka.Tests.KafkaPipelineCluster;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

[Collection(KafkaPipelineCollection.Name)]
public sealed class KafkaPipelineTests(KafkaPipelineCluster fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static bool IsComplete(ConsumeResult<string?, string> r, string pipeline) =>
        Header(r, "herald-event") == "complete" && Header(r, "herald-pipeline") == pipeline;

    private List<ConsumeResult<string?, string>> ReadUntilComplete(IReadOnlyCollection<string> ids, string pipeline) =>
        fixture.Kafka.ReadUntil(Annotations, records => ids.All(id => records.Any(r => r.Message.Key == id && IsComplete(r, pipeline))), Patience);

    [Fact]
    public async Task Every_annotation_and_the_completion_are_published_in_the_documented_format()
    {
        var documents = Enumerable.Range(0, 10).Select(i => Document($"contract-{i}")).ToList();
        await fixture.Kafka.ProduceDocumentsAsync(Input, documents);

        var records = ReadUntilComplete(documents.Select(d => (string)d["id"]!).ToList(), "news");

        foreach (var sent in documents)
        {
            var id = (string)sent["id"]!;
            var history = records.Where(r => r.Message.Key == id && Header(r, "herald-pipeline") == "news").OrderBy(r => r.Offset.Value).ToList();
            // A record per annotation (event-type, entities, money, dates, signal), then the completion: the full history.
            Assert.Equal(["annotation", "annotation", "annotation", "annotation", "annotation", "complete"], history.Select(r => Header(r, "herald-event")));
            var bodies = history.Select(r => JsonNode.Parse(r.Message.Value)!.AsObject()).ToList();
            Assert.Equal([1L, 2, 3, 4, 5, 6], bodies.Select(b => (long)b["sequence"]!));
            Assert.Equal([1, 2, 3, 4, 5, 5], bodies.Select(b => b["annotations"]!.AsObject().Count));
            Assert.Equal(["running", "running", "running", "running", "running", "complete"], bodies.Select(b => (string)b["status"]!));

            var final = bodies[^1];
            Assert.Equal(id, (string)final["id"]!);
            Assert.Equal("news", (string)final["pipeline"]!["tag"]!);
            Assert.Matches("^[0-9a-f]{12}$", (string)final["pipeline"]!["version"]!);
            Assert.True(JsonNode.DeepEquals(sent, final["document"]), "the document is echoed as received, unknown fields included");
            var money = final["annotations"]!["money"]!;
            Assert.Equal("1.0.0", (string)money["version"]!);
            Assert.Equal("done", (string)money["status"]!);
            Assert.Equal(12_000_000m, (decimal)money["value"]!["largest"]!["amount"]!);
            Assert.Equal("$12 million", (string)money["spans"]![0]!["text"]!);
            Assert.Equal(1, (int)money["attempts"]!);
            Assert.True((double)money["durationMs"]! >= 0);
            Assert.True(DateTimeOffset.TryParse((string)money["at"]!, out _));
            var signal = final["annotations"]!["signal"]!;
            Assert.Equal("funding_round", (string)signal["value"]!["type"]!);
        }
    }

    [Fact]
    public async Task Bad_input_goes_to_the_dead_letter_topic_with_its_reason_and_does_not_block_the_partition()
    {
        var oversized = Document("too-big", new string('x', MaxMessageBytes)).ToJsonString();
        (string? Key, string Value, string Reason)[] bad =
        [
            ("broken-json", "{\"id\": \"broken-json\", \"text\": ", "not valid JSON"),
            ("no-text", "{\"id\": \"no-text\", \"title\": \"only a title\"}", "missing 'text': a document needs a non-empty string 'text'"),
            ("not-an-object", "[1, 2, 3]", "a document must be a JSON object, not array"),
            ("too-big", oversized, $"message of {oversized.Length} bytes exceeds the limit of {MaxMessageBytes} bytes"),
            (null, "{\"text\": \"an id nowhere\"}", "missing document id: set the message key or an 'id' field"),
        ];
        // Every bad message goes to the same partition as a good one produced after it.
        foreach (var (key, value, _) in bad) await fixture.Kafka.ProduceAsync(Input, key, value);
        await fixture.Kafka.ProduceDocumentsAsync(Input, [Document("after-bad-input")]);

        ReadUntilComplete(["after-bad-input"], "news");
        var letters = fixture.Kafka.ReadUntil(DeadLetters, r => r.Count(l => Header(l, "herald-pipeline") == "news") >= bad.Length, Patience)
            .Where(l => Header(l, "herald-pipeline") == "news").ToList();

        Assert.Equal(bad.Length, letters.Count);
        foreach (var (key, value, reason) in bad)
        {
            var letter = Assert.Single(letters, l => l.Message.Value == value);
            Assert.Equal(key, letter.Message.Key);
            Assert.StartsWith(reason, Header(letter, "herald-reason"));
            Assert.Equal(Input, Header(letter, "herald-source-topic"));
            Assert.True(int.Parse(Header(letter, "herald-source-partition")!) is >= 0 and < Partitions);
            Assert.True(long.Parse(Header(letter, "herald-source-offset")!) >= 0);
        }
    }

    [Fact]
    public async Task Pipelines_read_side_by_side_with_their_own_group_and_start_position()
    {
        await fixture.Kafka.ProduceDocumentsAsync(Input, [Document("side-by-side")]);

        var records = fixture.Kafka.ReadUntil(Annotations, rs =>
            rs.Any(r => r.Message.Key == "side-by-side" && IsComplete(r, "news")) &&
            rs.Any(r => r.Message.Key == "side-by-side" && IsComplete(r, "backfill")) &&
            fixture.HistoricalIds.All(id => rs.Any(r => r.Message.Key == id && IsComplete(r, "backfill"))), Patience);

        // The backfill read from the earliest offset: it saw what was produced before any silo started.
        Assert.All(fixture.HistoricalIds, id => Assert.Contains(records, r => r.Message.Key == id && IsComplete(r, "backfill")));
        // The live pipeline started at the end: history is not its business.
        Assert.DoesNotContain(records, r => fixture.HistoricalIds.Contains(r.Message.Key) && Header(r, "herald-pipeline") == "news");
        // A new document runs in both.
        Assert.Contains(records, r => r.Message.Key == "side-by-side" && IsComplete(r, "news"));
        Assert.Contains(records, r => r.Message.Key == "side-by-side" && IsComplete(r, "backfill"));
    }

    [Fact]
    public async Task Committed_offsets_reach_the_end_once_every_document_is_complete()
    {
        var ids = Enumerable.Range(0, 20).Select(i => $"commit-{i}").ToList();
        await fixture.Kafka.ProduceDocumentsAsync(Input, ids.Select(id => Document(id)));
        ReadUntilComplete(ids, "news");

        // Offsets are committed in the background (every second) up to the contiguous low-water mark.
        var deadline = DateTime.UtcNow + Patience;
        long[] committed, end;
        do
        {
            await Task.Delay(250);
            committed = fixture.Kafka.Committed("herald-news", Input, Partitions);
            end = fixture.Kafka.EndOffsets(Input, Partitions);
        }
        while (!committed.SequenceEqual(end) && DateTime.UtcNow < deadline);
        Assert.Equal(end, committed);
    }
}
