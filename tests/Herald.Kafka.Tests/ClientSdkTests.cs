using Herald.Client;
using Herald.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Kafka.Tests;

/// <summary>The .NET SDK as an application uses it (dependency injection, typed records) against a real silo process and broker.</summary>
[Trait("Category", "process")]
[Collection(HttpSiloCollection.Name)]
public sealed class ClientSdkTests(HttpSilo silo)
{
    private ServiceProvider Services() => new ServiceCollection()
        .AddHeraldClient(o =>
        {
            o.Url = silo.BaseAddress;
            o.ApiToken = HttpSilo.Token;
            o.KafkaBootstrapServers = silo.Broker.BootstrapServers;
        })
        .BuildServiceProvider();

    [Fact]
    public async Task Submitted_documents_come_back_as_typed_complete_records_with_their_signals()
    {
        await using var services = Services();
        var herald = services.GetRequiredService<HeraldClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        Document[] documents =
        [
            new() { Id = "sdk-1", Text = "Quorra Labs raised $8 million in a seed round led by Fernhill Capital.", Title = "Quorra raises", Extra = new() { ["desk"] = System.Text.Json.JsonElement.Parse("\"tech\"") } },
            new() { Id = "sdk-2", Text = "Brightwater Systems agreed to acquire Lumen Analytics for $120 million." },
        ];
        var results = new Dictionary<string, DocumentRecord>();
        await using var watch = herald.WatchAsync("news", cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = watch.MoveNextAsync(); // positions are fixed before anything is submitted

        Assert.Equal(2, await herald.SubmitAsync(documents, cancellationToken: timeout.Token));
        for (var more = await first; more; more = await watch.MoveNextAsync())
        {
            if (watch.Current.Id.StartsWith("sdk-")) results[watch.Current.Id] = watch.Current;
            if (results.Count == 2) break;
        }

        var funding = results["sdk-1"];
        Assert.Equal(DocumentStatus.Complete, funding.Status);
        Assert.Equal("news", funding.Pipeline.Tag);
        Assert.Equal("tech", funding.Document!.Extra!["desk"].GetString());
        Assert.Equal("funding_round", funding.Annotations["event-type"].Value.GetProperty("label").GetString()); // raw JSON of any annotator
        var signal = funding.Signal()!;
        Assert.Equal(("funding_round", 8_000_000m, "USD"), (signal.Type, signal.Amount!.Amount, signal.Amount.Currency));
        Assert.Contains(signal.Companies, c => c.Name.StartsWith("Quorra Labs"));
        Assert.Equal("acquisition", results["sdk-2"].Signal()!.Type);
        Assert.Equal(funding, await herald.GetDocumentAsync("news", "sdk-1"), RecordIdentity.Instance);
    }

    [Fact]
    public async Task Annotate_pipelines_and_status_are_typed()
    {
        await using var services = Services();
        var herald = services.GetRequiredService<HeraldClient>();

        var record = await herald.AnnotateAsync("news", "Quorra Labs raised $8 million in a seed round led by Fernhill Capital.");
        var pipelines = await herald.GetPipelinesAsync();
        var status = await herald.GetStatusAsync();

        Assert.Equal("funding_round", record.Signal()?.Type);
        Assert.All(record.Annotations.Values, a => Assert.NotEqual(AnnotationStatus.Failed, a.Status));
        var news = Assert.Single(pipelines, p => p.Tag == "news");
        Assert.Contains(news.Annotators, a => a.Name == "signal" && a.Requires.Contains("event-type"));
        Assert.Contains(status.Pipelines, p => p.Tag == "news" && p.Annotators.Count == news.Annotators.Count);
        Assert.True(status.Silos >= 1);
    }

    /// <summary>Two reads of the same record: same id, pipeline version, sequence and annotations.</summary>
    private sealed class RecordIdentity : IEqualityComparer<DocumentRecord?>
    {
        public static readonly RecordIdentity Instance = new();

        public bool Equals(DocumentRecord? x, DocumentRecord? y) =>
            x is not null && y is not null && (x.Id, x.Pipeline, x.Sequence) == (y.Id, y.Pipeline, y.Sequence) && x.Annotations.Keys.Order().SequenceEqual(y.Annotations.Keys.Order());

        public int GetHashCode(DocumentRecord? record) => record?.Id.GetHashCode() ?? 0;
    }
}
