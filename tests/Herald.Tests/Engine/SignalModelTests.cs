using System.Text.Json.Nodes;
using Herald.Annotators.Onnx.Heads;
using Herald.Grains;
using Herald.Grains.Documents;

namespace Herald.Tests.Engine;

/// <summary>
/// The shipped news pipeline's learned entities and roles on the failure families a new user met with the rules:
/// single-word companies in subject position, possessives, spelled-out amounts, an investee among investors, an
/// acquirer and its target, the round's own amount rather than the total. Real models, real sentences, new wordings.
/// </summary>
[Trait("Category", "cluster")]
[Collection(EngineClusterCollection.Name)]
public sealed class SignalModelTests(EngineCluster fixture)
{
    [Theory]
    [InlineData("Cinderline bags €3.5 million to expand its battery recycling plants", "Cinderline bags €3.5 million from Kelpwater Capital as demand for recycled lithium grows.",
        "Cinderline=investee,Kelpwater Capital=investor", "3500000 EUR")]
    [InlineData("Ironvale agrees takeover", "Ironvale agreed to acquire Haverstock Brands for two billion dollars, the companies said on Monday.",
        "Ironvale=acquirer,Haverstock Brands=target", "2000000000 USD")]
    [InlineData("Orchardline raises round", "Orchardline raised $75 million in a round led by Frostvale Ventures, bringing its total funding to $120 million.",
        "Orchardline=investee,Frostvale Ventures=investor", "75000000 USD")]
    [InlineData("Dapplewood Home sold", "Haverstock Brands was acquired by Dapplewood Home for $240 million in cash.",
        "Dapplewood Home=acquirer,Haverstock Brands=target", "240000000 USD")]
    [InlineData("Lumenwell funding", "Kelpwater Capital and Bluefen Partners invested nine million dollars in Lumenwell, the battery maker said.",
        "Kelpwater Capital=investor,Bluefen Partners=investor,Lumenwell=investee", "9000000 USD")]
    public async Task Deals_name_each_company_in_its_role_with_the_amount_of_the_deal(string title, string text, string parties, string amount)
    {
        var (signal, _) = await RunAsync(title, text);

        Assert.Equal(parties.Split(',').Order(), Companies(signal).Order());
        Assert.Equal(amount, $"{(decimal)signal["amount"]!["amount"]!} {(string)signal["amount"]!["currency"]!}");
    }

    [Fact]
    public async Task A_hire_names_the_appointee_with_the_title_and_the_companies_in_their_roles()
    {
        var (signal, entities) = await RunAsync("Ironvale's board names a new chief",
            "Ironvale's board named Priya Raman chief financial officer, succeeding Tomas Bredt. Raman joins from Lumenwell.");

        Assert.Contains(("Ironvale", "ORG"), entities);
        Assert.Contains(("Priya Raman", "PER"), entities);
        var people = signal["people"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => ((string?)p!["role"], (string?)p["title"]));
        Assert.Equal(("appointee", "chief financial officer"), people["Priya Raman"]);
        Assert.Equal("predecessor", people["Tomas Bredt"].Item1);
        Assert.Contains("Ironvale=employer", Companies(signal));
        Assert.Contains("Lumenwell=former_employer", Companies(signal));
    }

    [Theory]
    [InlineData("Brindlecove hires former bank treasurer as finance chief #CFOMoves",
        "Brindlecove has hired Oskar Lindqvist as chief financial officer. Lindqvist spent a decade at Harrowgate Bank. #MandA #CFOMoves", "Brindlecove")]
    [InlineData("Payroll platform Quernhill names technology chief",
        "Payroll platform Quernhill appointed Maren Solvik as chief technology officer on Tuesday. She joins from Tallowbrook Systems.", "Quernhill")]
    public async Task A_one_word_name_that_shortens_no_person_is_the_hiring_company_and_a_hashtag_names_no_one(string title, string text, string company)
    {
        var (signal, entities) = await RunAsync(title, text);

        Assert.Contains((company, "ORG"), entities);
        Assert.DoesNotContain(entities, e => e.Item1 is "MandA" or "CFOMoves");
        Assert.Contains($"{company}=employer", Companies(signal));
        Assert.Equal("appointee", (string?)signal["people"]!.AsArray().Single(p => ((string)p!["name"]!).Contains(' '))!["role"]);
    }

    [Fact]
    public async Task The_encoder_runs_once_per_document_for_the_embedding_and_both_heads()
    {
        var before = EncodedDocument.Reencoded;
        var documents = Enumerable.Range(0, 24).Select(i => ($"Wrenfield raises round {i}", $"Wrenfield Labs raised ${i + 2} million from Copperline Ventures to hire engineers.")).ToList();

        var results = await Task.WhenAll(documents.Select(d => RunAsync(d.Item1, d.Item2)));

        Assert.All(results, r => Assert.Contains("Wrenfield Labs=investee", Companies(r.Signal)));
        // The heads found the word states the embedding's own inference kept: not one document was encoded again.
        Assert.Equal(before, EncodedDocument.Reencoded);
    }

    private static IEnumerable<string> Companies(JsonNode signal) =>
        signal["companies"]!.AsArray().Where(c => c!["role"] is not null).Select(c => $"{c!["name"]}={c["role"]}");

    private async Task<(JsonNode Signal, List<(string, string)> Entities)> RunAsync(string title, string text)
    {
        var id = Guid.NewGuid().ToString("n");
        var json = new JsonObject { ["id"] = id, ["title"] = title, ["text"] = text }.ToJsonString();
        var snapshot = await fixture.Client.GetGrain<IDocumentGrain>(DocumentKey.Format("news", id)).ProcessAsync(DocumentParser.Parse(json));
        Assert.Equal(DocumentStatus.Complete, snapshot.Status);
        var signal = snapshot.Annotation("signal") is { Status: AnnotationStatus.Done, Output: { } output } ? JsonNode.Parse(output.ValueJson)! : throw new Xunit.Sdk.XunitException($"no signal: {string.Join(", ", snapshot.Annotations.Select(a => $"{a.Name} {a.Status}"))}");
        var entities = JsonNode.Parse(snapshot.Annotation("entities")!.Output!.ValueJson)!["entities"]!.AsArray()
            .Select(e => ((string)e!["text"]!, (string)e["label"]!)).ToList();
        return (signal, entities);
    }
}
