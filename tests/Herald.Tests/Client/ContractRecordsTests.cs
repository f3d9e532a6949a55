using System.Text;
using System.Text.Json;
using Herald.Client;
using Herald.Contracts;
using Herald.Grains.Documents;
using ContractStatus = Herald.Contracts.AnnotationStatus;
using EngineStatus = Herald.Grains.Documents.AnnotationStatus;

namespace Herald.Tests.Client;

/// <summary>The contract's typed records read exactly what the silo's encoder writes to the central topic, in every emission mode.</summary>
public sealed class ContractRecordsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 9, 0, 0, 123, TimeSpan.Zero);

    private static readonly DocumentInput Input = new("n-1", "Quorra Labs raised $8 million.", "Quorra raises",
        """{"id": "n-1", "text": "Quorra Labs raised $8 million.", "title": "Quorra raises", "publishedAt": "2026-11-24T08:00:00Z", "metadata": {"lang": "en"}, "desk": "tech"}""");

    private static readonly AnnotationRecord[] Annotations =
    [
        new("money", "1.0.0", EngineStatus.Done, new AnnotationOutput("""{"largest": {"amount": 8000000, "currency": "USD", "text": "$8 million", "start": 19, "end": 29}}""",
            """[{"start": 19, "end": 29, "label": "MONEY", "score": 1, "text": "$8 million"}]"""), null, 0.41, 1, At),
        new("signal", "2.0.0", EngineStatus.Done, new AnnotationOutput(
            """{"type": "funding_round", "confidence": 0.93, "amount": {"amount": 8000000, "currency": "USD", "text": "$8 million", "start": 19, "end": 29}, "date": null, "companies": [{"name": "Quorra Labs", "role": "investee"}], "people": [{"name": "Ada Brandt", "role": "appointee", "title": "CFO"}], "evidence": [{"label": "ORG", "start": 0, "end": 11, "text": "Quorra Labs"}]}""",
            null), null, 0.2, 1, At, Reused: true),
        new("dates", "1.0.0", EngineStatus.Skipped, null, "condition is false", 0, 0, At),
        new("broken", "1.0.0", EngineStatus.Failed, null, "timed out after 5s", 5000, 3, At),
    ];

    [Fact]
    public void A_complete_record_reads_into_typed_records_with_raw_values_and_unknown_fields_kept()
    {
        var utf8 = DocumentSnapshotJson.ToUtf8(new DocumentSnapshot("news", "a419eed4ac74", Input, Annotations, Herald.Grains.Documents.DocumentStatus.Complete, 5, At, At.AddSeconds(2)));

        var record = DocumentRecord.Parse(utf8);

        Assert.Equal("n-1", record.Id);
        Assert.Equal(new PipelineVersion("news", "a419eed4ac74"), record.Pipeline);
        Assert.Equal(Herald.Contracts.DocumentStatus.Complete, record.Status);
        Assert.Equal(5, record.Sequence);
        Assert.Equal(At.AddSeconds(2), record.CompletedAt);
        Assert.Equal("Quorra raises", record.Document!.Title);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero), record.Document.PublishedAt);
        Assert.Equal("tech", record.Document.Extra!["desk"].GetString());
        Assert.Equal("en", (string?)record.Document.Metadata!["lang"]);

        var money = record.Annotations["money"];
        Assert.Equal((ContractStatus.Done, 0.41, 1, At), (money.Status, money.DurationMs, money.Attempts, money.At));
        Assert.Equal(new Span(19, 29, "MONEY", 1, "$8 million"), Assert.Single(money.Spans!));
        Assert.Equal("USD", money.Value.GetProperty("largest").GetProperty("currency").GetString());
        Assert.True(record.Annotations["signal"].Reused);
        Assert.Equal((ContractStatus.Skipped, "condition is false"), (record.Annotations["dates"].Status, record.Annotations["dates"].Reason));
        Assert.Equal((ContractStatus.Failed, "timed out after 5s", JsonValueKind.Null), (record.Annotations["broken"].Status, record.Annotations["broken"].Error, record.Annotations["broken"].Value.ValueKind));

        var signal = record.Signal()!;
        Assert.Equal(("funding_round", 0.93, 8_000_000m, "USD"), (signal.Type, signal.Confidence, signal.Amount!.Amount, signal.Amount.Currency));
        Assert.Equal(new SignalParty("Quorra Labs", "investee"), Assert.Single(signal.Companies));
        Assert.Equal(new SignalParty("Ada Brandt", "appointee", "CFO"), Assert.Single(signal.People));
        Assert.Null(record.Signal("broken"));
        Assert.Null(record.Signal("absent"));
    }

    [Fact]
    public void A_delta_record_has_no_document_and_only_its_annotation()
    {
        var running = new DocumentSnapshot("news", "v1", Input, Annotations[..2], Herald.Grains.Documents.DocumentStatus.Running, 2, At, null);

        var record = DocumentRecord.Parse(DocumentSnapshotJson.DeltaToUtf8(running));

        Assert.Null(record.Document);
        Assert.Equal(Herald.Contracts.DocumentStatus.Running, record.Status);
        Assert.Equal(["signal"], record.Annotations.Keys);
        Assert.Null(record.CompletedAt);
    }

    [Fact]
    public void Fields_added_later_are_kept_not_refused()
    {
        var record = DocumentRecord.Parse(Encoding.UTF8.GetBytes(
            """{"id": "x", "pipeline": {"tag": "t", "version": "v"}, "annotations": {}, "status": "complete", "sequence": 1, "region": "eu"}"""));

        Assert.Equal("eu", record.Extra!["region"].GetString());
    }

    [Fact]
    public void A_document_written_by_the_sdk_reads_back_the_same()
    {
        var document = new Document { Id = "d-1", Text = "text", Title = "t", PublishedAt = At, Extra = new() { ["desk"] = JsonElement.Parse("\"tech\"") } };

        var json = JsonSerializer.Serialize(document, ContractsJson.Default.Document);

        Assert.DoesNotContain("\"url\"", json);
        var back = JsonSerializer.Deserialize(json, ContractsJson.Default.Document)!;
        Assert.Equal((document.Id, document.Text, document.Title, document.PublishedAt), (back.Id, back.Text, back.Title, back.PublishedAt));
        Assert.Equal("tech", back.Extra!["desk"].GetString());
    }
}
