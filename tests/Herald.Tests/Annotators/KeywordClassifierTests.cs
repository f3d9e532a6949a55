using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Rules;
using Xunit;
using static Herald.Tests.Annotators.AnnotatorTestKit;

namespace Herald.Tests.Annotators;

public sealed class KeywordClassifierTests
{
    private static JsonObject DealLabels() => new()
    {
        ["mna"] = new JsonArray("acquir*", "merger", "takeover", "M&A"),
        ["funding"] = new JsonArray("raised", "Series A", "funding round"),
        ["earnings"] = new JsonArray("quarterly results", "revenue"),
    };

    [Fact]
    public async Task Picks_the_label_with_most_distinct_phrases_and_scores_its_share()
    {
        var annotator = Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = DealLabels() });

        var annotation = await annotator.AnnotateAsync(
            Input("Lumio Health raised $40M in a Series A funding round after revenue doubled."), CancellationToken.None);

        Assert.Equal("funding", (string)annotation.Value!["label"]!);
        Assert.Equal(0.75, (double)annotation.Value!["score"]!);
        Assert.Equal("""{"funding":["raised","Series A","funding round"],"earnings":["revenue"]}""", annotation.Value!["matches"]!.ToJsonString());
        Assert.Null(annotation.Spans);
    }

    [Theory]
    [InlineData("Brightline agreed to acquire Kestrel Systems.", "acquir*")]
    [InlineData("Kestrel Systems was acquired by a rival on Friday.", "acquir*")]
    [InlineData("Regulators cleared the MERGER of the two grocers.", "merger")]
    [InlineData("Dealmakers expect M&A to pick up in Europe.", "M&A")]
    public async Task Matches_whole_words_case_insensitively_with_suffix_wildcards(string text, string expectedPhrase)
    {
        var annotator = Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = DealLabels() });

        var annotation = await annotator.AnnotateAsync(Input(text), CancellationToken.None);

        Assert.Equal("mna", (string)annotation.Value!["label"]!);
        Assert.Equal(expectedPhrase, (string)Assert.Single(annotation.Value!["matches"]!["mna"]!.AsArray())!);
    }

    [Theory]
    [InlineData("Investors praised the plan to cut costs.")]
    [InlineData("Two mergers of equals failed last year.")]
    [InlineData("The takeovers panel meets monthly.")]
    public async Task Does_not_match_inside_longer_words(string text)
    {
        var annotator = Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = DealLabels() });

        var annotation = await annotator.AnnotateAsync(Input(text), CancellationToken.None);

        Assert.Equal("other", (string)annotation.Value!["label"]!);
    }

    [Fact]
    public async Task Counts_a_phrase_once_however_often_it_occurs()
    {
        var annotator = Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = DealLabels() });

        var annotation = await annotator.AnnotateAsync(
            Input("The merger, the merger and again the merger: revenue and quarterly results followed."), CancellationToken.None);

        Assert.Equal("earnings", (string)annotation.Value!["label"]!);
        Assert.Equal(2.0 / 3, (double)annotation.Value!["score"]!, 10);
    }

    [Theory]
    [InlineData("mna", "funding", "mna")]
    [InlineData("funding", "mna", "funding")]
    public async Task Breaks_ties_by_declaration_order(string first, string second, string expected)
    {
        var labels = new JsonObject { [first] = DealLabels()[first]!.DeepClone(), [second] = DealLabels()[second]!.DeepClone() };
        var annotator = Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = labels });

        var annotation = await annotator.AnnotateAsync(Input("Fjordly raised money to acquire a rival."), CancellationToken.None);

        Assert.Equal(expected, (string)annotation.Value!["label"]!);
        Assert.Equal(0.5, (double)annotation.Value!["score"]!);
    }

    [Fact]
    public async Task Falls_back_to_the_default_label_with_score_zero()
    {
        var annotator = Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = DealLabels(), ["defaultLabel"] = "general" });

        var annotation = await annotator.AnnotateAsync(Input("Cobalt Bay opened a new office in Lisbon."), CancellationToken.None);

        Assert.Equal("""{"label":"general","score":0,"matches":{}}""", annotation.Value!.ToJsonString());
    }

    [Theory]
    [InlineData("title+text", "mna")]
    [InlineData("text", "other")]
    public async Task Reads_the_title_only_when_field_says_so(string field, string expected)
    {
        var annotator = Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = DealLabels(), ["field"] = field });

        var annotation = await annotator.AnnotateAsync(
            Input("The two grocers will combine their stores.", title: "Halvard to acquire Rhenvale"), CancellationToken.None);

        Assert.Equal(expected, (string)annotation.Value!["label"]!);
    }

    [Fact]
    public async Task Does_not_join_a_phrase_across_title_and_text()
    {
        var annotator = Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = DealLabels() });

        var annotation = await annotator.AnnotateAsync(Input("round closes as Lumio grows", title: "Lumio extends funding"), CancellationToken.None);

        Assert.Equal("other", (string)annotation.Value!["label"]!);
    }

    [Fact]
    public void Rejects_empty_or_missing_labels()
    {
        var empty = Assert.Throws<AnnotatorConfigurationException>(() => Create(KeywordClassifier.Kind, new JsonObject { ["labels"] = new JsonObject() }));
        var missing = Assert.Throws<AnnotatorConfigurationException>(() => Create(KeywordClassifier.Kind));

        Assert.Equal("option 'labels' must name at least one label", empty.Message);
        Assert.Equal("option 'labels' must name at least one label", missing.Message);
    }

    [Theory]
    [InlineData("""{"labels":{"mna":[]}}""", "option 'labels.mna' must list at least one phrase")]
    [InlineData("""{"labels":{"mna":["  "]}}""", "option 'labels.mna' has an empty phrase")]
    [InlineData("""{"labels":{"mna":["acq*red"]}}""", "option 'labels.mna': '*' may only end a phrase, as in 'acquir*' (got 'acq*red')")]
    [InlineData("""{"labels":{"mna":["merger"]},"field":"body"}""", "option 'field' must be 'text' or 'title+text', not 'body'")]
    [InlineData("""{"labels":{"mna":["merger"]},"defaultLabel":""}""", "option 'defaultLabel' must not be empty")]
    public void Rejects_invalid_options_with_a_precise_message(string options, string expectedMessage)
    {
        var error = Assert.Throws<AnnotatorConfigurationException>(() => Create(KeywordClassifier.Kind, JsonNode.Parse(options)!.AsObject()));

        Assert.Equal(expectedMessage, error.Message);
    }

    [Fact]
    public void Declares_its_option_keys()
    {
        Assert.Equal(["labels", "defaultLabel", "field"], KeywordClassifier.Kind.OptionKeys);
    }
}
