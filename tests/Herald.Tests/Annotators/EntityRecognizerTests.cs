using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Rules;
using Herald.Annotators.Rules.Entities;
using Xunit;
using static Herald.Tests.Annotators.AnnotatorTestKit;

namespace Herald.Tests.Annotators;

public sealed class EntityRecognizerTests
{
    [Theory]
    [InlineData("Corvid Analytics GmbH secured €9 million from Halden Capital and Tarn Ventures.", "ORG:Corvid Analytics GmbH|ORG:Halden Capital|ORG:Tarn Ventures")]
    [InlineData("Quillmore has hired Dr. Anneliese Varga-Moss as chief medical officer.", "ORG:Quillmore|PER:Anneliese Varga-Moss")]
    [InlineData("Update: CFO Rajan Okonkwo-Hale steps down at Pelican Freight Ltd. after nine years.", "PER:Rajan Okonkwo-Hale|ORG:Pelican Freight Ltd.")]
    [InlineData("Marlin & Oake agreed to buy Brisket Bros. for an undisclosed sum.", "ORG:Marlin & Oake|ORG:Brisket Bros.")]
    [InlineData("Tern Robotics taps Ingeborg Salo as CEO. Salo ran hardware at Ferrous Labs.", "ORG:Tern Robotics|PER:Ingeborg Salo|PER:Salo|ORG:Ferrous Labs")]
    [InlineData("Store names will not change. Management said the deal closes in June.", "")]
    [InlineData("The Pelham Valley rowing club celebrated its centenary in Boston on Saturday.", "")]
    public async Task Recognises_organisations_and_people_from_their_words_and_context(string text, string expected)
    {
        var annotation = await Create(EntityRecognizer.Kind).AnnotateAsync(Input(text), CancellationToken.None);

        var entities = Entities(annotation);
        Assert.Equal(expected, string.Join('|', entities.Select(e => $"{e["label"]}:{e["text"]}")));
        foreach (var entity in entities)
            Assert.Equal((string)entity["text"]!, text[(int)entity["start"]!..(int)entity["end"]!]);
        // Spans carry the same entities, so token classifiers and this kind are interchangeable.
        Assert.Equal(entities.Select(e => ((int)e["start"]!, (string)e["label"]!)), annotation.Spans!.Select(s => (s.Start, s.Label)));
    }

    [Fact]
    public async Task Gazetteer_names_are_found_where_context_alone_would_not()
    {
        const string text = "Lumen said demand was strong. Ada Quist agreed.";
        var recogniser = Create(EntityRecognizer.Kind, new JsonObject { ["organizations"] = new JsonArray("Lumen"), ["people"] = new JsonArray("Ada Quist") });

        var entities = Entities(await recogniser.AnnotateAsync(Input(text), CancellationToken.None));

        Assert.Equal(["ORG:Lumen", "PER:Ada Quist"], entities.Select(e => $"{e["label"]}:{e["text"]}"));
        Assert.All(entities, e => Assert.Equal(1.0, (double)e["score"]!));
    }

    [Fact]
    public void An_out_of_range_min_score_is_a_configuration_error()
    {
        var error = Assert.Throws<AnnotatorConfigurationException>(() => Create(EntityRecognizer.Kind, new JsonObject { ["minScore"] = 1.5 }));
        Assert.Equal("option 'minScore' must be between 0 and 1, not 1.5", error.Message);
    }

    [Theory]
    [InlineData("acquisition", "Brackwater Foods has agreed to buy Saltmarsh Dairy Ltd. for $210 million.",
        "Brackwater Foods=acquirer|Saltmarsh Dairy Ltd.=target", "")]
    [InlineData("acquisition", "Ostrava Pumps was acquired by Heilbronn Werke AG in a deal announced on Monday.",
        "Ostrava Pumps=target|Heilbronn Werke AG=acquirer", "")]
    [InlineData("funding_round", "Investors put $30 million into Glasswing Health Inc., in a round led by Merrow Capital with participation from Kite Hill Ventures.",
        "Glasswing Health Inc.=investee|Merrow Capital=investor|Kite Hill Ventures=investor", "")]
    [InlineData("leadership_hire", "Thornbury Systems has named Priya Lindqvist as chief financial officer, replacing Mark Ellery, who retires in May. Lindqvist was previously finance director at rival Copperleaf Group.",
        "Thornbury Systems=employer|Copperleaf Group=former_employer", "Priya Lindqvist=appointee/chief financial officer|Mark Ellery=predecessor/")]
    public async Task Signal_gives_companies_and_people_their_roles(string type, string text, string companies, string people)
    {
        var entities = await Create(EntityRecognizer.Kind).AnnotateAsync(Input(text), CancellationToken.None);
        var dependencies = new Dictionary<string, DependencyResult>
        {
            ["event-type"] = new("1.0.0", new JsonObject { ["label"] = type, ["score"] = 0.9 }.ToJsonString(), null),
            ["entities"] = new("1.0.0", entities.Value!.ToJsonString(), null),
        };
        var input = new AnnotatorInput(Input(text).Document, dependencies);

        var signal = (await Create(SignalAssembler.Kind).AnnotateAsync(input, CancellationToken.None)).Value!;

        Assert.Equal(type, (string)signal["type"]!);
        Assert.Equal(companies, string.Join('|', signal["companies"]!.AsArray().Select(c => $"{c!["name"]}={c["role"]}")));
        Assert.Equal(people, string.Join('|', signal["people"]!.AsArray().Select(p => $"{p!["name"]}={p["role"]}/{p["title"]}")));
        Assert.Contains(signal["evidence"]!.AsArray(), e => (string)e!["label"]! == "ORG");
    }

    private static List<JsonNode> Entities(Annotation annotation) => annotation.Value!["entities"]!.AsArray().Select(e => e!).ToList();
}
