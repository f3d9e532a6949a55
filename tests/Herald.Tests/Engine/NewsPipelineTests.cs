using System.Text.Json;
using Herald.Grains;
using Herald.Grains.Documents;

namespace Herald.Tests.Engine;

/// <summary>The shipped pipeline over the shipped sample news, on the two-silo cluster.</summary>
[Collection(EngineClusterCollection.Name)]
public sealed class NewsPipelineTests(EngineCluster fixture)
{
    [Fact]
    public async Task Every_sample_completes_and_deal_news_yields_signals()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples");
        var documents = File.ReadLines(Path.Combine(samples, "news.jsonl")).Select(line => DocumentParser.Parse(line)).ToList();
        var labels = File.ReadLines(Path.Combine(samples, "news.labels.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("label").GetString()!);

        // A fresh tag per run would need a new pipeline; fresh ids keep this test independent of the others.
        var run = Guid.NewGuid().ToString("n")[..8];
        var snapshots = await Task.WhenAll(documents.Select(d =>
            fixture.Client.GetGrain<IDocumentGrain>(DocumentKey.Format("news", $"{run}-{d.Id}")).ProcessAsync(d with { Id = $"{run}-{d.Id}" })));

        Assert.Equal(240, snapshots.Length);
        Assert.All(snapshots, s => Assert.Equal(DocumentStatus.Complete, s.Status));
        Assert.DoesNotContain(snapshots.SelectMany(s => s.Annotations), a => a.Status == AnnotationStatus.Failed);

        var predicted = snapshots.ToDictionary(s => s.Id[(run.Length + 1)..], s => JsonDocument.Parse(s.Annotation("event-type")!.Output!.ValueJson).RootElement.GetProperty("label").GetString());
        var correct = labels.Count(l => predicted[l.Key] == l.Value);
        Assert.True(correct >= 0.7 * labels.Count, $"keyword event-type agrees with the answer key on {correct}/{labels.Count}");

        // Signals run only for deal news, and carry the amount when the text states one.
        foreach (var snapshot in snapshots)
        {
            var signal = snapshot.Annotation("signal")!;
            var type = predicted[snapshot.Id[(run.Length + 1)..]];
            Assert.Equal(type == "other" ? AnnotationStatus.Skipped : AnnotationStatus.Done, signal.Status);
        }
    }
}
