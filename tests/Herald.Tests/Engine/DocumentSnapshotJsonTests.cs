using System.Text.Json.Nodes;
using Herald.Grains.Documents;

namespace Herald.Tests.Engine;

public sealed class DocumentSnapshotJsonTests
{
    private static readonly DocumentInput Document = DocumentParser.Parse(
        """{"id":"d-1","text":"Zoë's \"café\" raised €2M","title":"Ünïcode","metadata":{"lang":"en","tags":["a","b"]}}""");

    private static AnnotationRecord Done(string name, string valueJson, string? spansJson = null) =>
        new(name, "1.2.0", AnnotationStatus.Done, new AnnotationOutput(valueJson, spansJson), null, 1.23456, 1, new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    private static DocumentSnapshot Snapshot(AnnotationRecord[] annotations, bool complete = false) =>
        new("news", "v1", Document, annotations, complete ? DocumentStatus.Complete : DocumentStatus.Running, annotations.Length + (complete ? 1 : 0),
            DateTimeOffset.UnixEpoch, complete ? DateTimeOffset.UnixEpoch : null);

    [Fact]
    public void A_documents_records_written_with_reused_parts_are_byte_for_byte_those_written_afresh()
    {
        var first = Done("embedding", """{"dims":3}""");
        var second = Done("entities", "[]", """[{"start":0,"end":4,"label":"PER"}]""");
        var skipped = new AnnotationRecord("signal", "1.0.0", AnnotationStatus.Skipped, null, "dependency 'entities' failed", 0, 0, DateTimeOffset.UnixEpoch);
        var snapshots = new[]
        {
            Snapshot([first]),
            Snapshot([first, second]),
            Snapshot([first, second, skipped]),
            Snapshot([first, second, skipped], complete: true),
        };

        var parts = new DocumentSnapshotJson.RecordParts();
        foreach (var snapshot in snapshots)
            Assert.Equal(DocumentSnapshotJson.ToUtf8(snapshot), DocumentSnapshotJson.ToUtf8(snapshot, parts));

        var record = JsonNode.Parse(DocumentSnapshotJson.ToUtf8(snapshots[^1], parts))!;
        Assert.Equal("Zoë's \"café\" raised €2M", (string)record["document"]!["text"]!);
        Assert.Equal(["embedding", "entities", "signal"], record["annotations"]!.AsObject().Select(a => a.Key));
        Assert.Equal("dependency 'entities' failed", (string)record["annotations"]!["signal"]!["reason"]!);
        Assert.Equal(4, (int)record["sequence"]!);
    }

    [Fact]
    public void A_part_is_encoded_again_when_a_different_annotation_takes_its_place()
    {
        var parts = new DocumentSnapshotJson.RecordParts();
        DocumentSnapshotJson.ToUtf8(Snapshot([Done("a", "1")]), parts);

        var replaced = Snapshot([Done("a", "2")]);
        Assert.Equal(DocumentSnapshotJson.ToUtf8(replaced), DocumentSnapshotJson.ToUtf8(replaced, parts));
    }
}
