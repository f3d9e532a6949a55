using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Rules;
using Xunit;
using static Herald.Tests.Annotators.AnnotatorTestKit;

namespace Herald.Tests.Annotators;

public sealed class DatesAnnotatorTests
{
    // A Wednesday.
    private const string PublishedAt = "2026-03-18T09:30:00Z";

    [Theory]
    [InlineData("Northgate Capital said on March 14, 2026 that it had closed its fund.", "March 14, 2026", "2026-03-14", "day", false)]
    [InlineData("The deal closed on 14 March 2026, the filing shows.", "14 March 2026", "2026-03-14", "day", false)]
    [InlineData("The filing is dated 2026-03-14 and signed by the board.", "2026-03-14", "2026-03-14", "day", false)]
    [InlineData("Shareholders approved the merger on Mar. 14 after a long fight.", "Mar. 14", "2026-03-14", "day", true)]
    [InlineData("Brightline's tender offer expired Jan. 5, the company said.", "Jan. 5", "2026-01-05", "day", true)]
    [InlineData("Kestrel Systems expects to launch the service in March 2026.", "March 2026", "2026-03-01", "month", false)]
    [InlineData("Verdant Foods will open the plant in May.", "May", "2026-05-01", "month", true)]
    [InlineData("Deliveries of the Orbis scanner start in Q3 2026.", "Q3 2026", "2026-07-01", "quarter", false)]
    [InlineData("Lumio Health expects margins to improve in Q3.", "Q3", "2026-07-01", "quarter", true)]
    [InlineData("Revenue in the third quarter of 2025 rose 12%.", "third quarter of 2025", "2025-07-01", "quarter", false)]
    [InlineData("Halvard Group plans to list its shares in 2027.", "2027", "2027-01-01", "year", false)]
    [InlineData("Fjordly expects to break even by mid-2027.", "2027", "2027-01-01", "year", false)]
    [InlineData("Orbis Pharma said on Tuesday it would cut 200 jobs.", "Tuesday", "2026-03-17", "day", true)]
    [InlineData("Wattle Pay's chief executive resigned on Wednesday.", "Wednesday", "2026-03-18", "day", true)]
    [InlineData("Regulators approved the deal last Wednesday.", "last Wednesday", "2026-03-11", "day", true)]
    [InlineData("The board will vote next Friday.", "next Friday", "2026-03-20", "day", true)]
    [InlineData("The board will vote this Monday.", "this Monday", "2026-03-16", "day", true)]
    [InlineData("Quillsoft shares fell 8% last week.", "last week", "2026-03-09", "week", true)]
    [InlineData("Lumio Health announced the acquisition yesterday.", "yesterday", "2026-03-17", "day", true)]
    [InlineData("Today, Cobalt Bay unveiled its first product.", "Today", "2026-03-18", "day", true)]
    [InlineData("Tallwood Mining aims to close the sale by the end of June.", "end of June", "2026-06-30", "day", true)]
    [InlineData("Alpenlink hopes to hire 50 engineers by the end of the year.", "end of the year", "2026-12-31", "day", true)]
    [InlineData("Mapleway's revenue doubled last year.", "last year", "2025-01-01", "year", true)]
    [InlineData("Kanso Labs will report results next month.", "next month", "2026-04-01", "month", true)]
    public async Task Finds_each_date_format_resolved_against_published_at(string text, string expectedText, string expectedDate, string expectedPrecision, bool expectedRelative)
    {
        var annotation = await Create(DatesAnnotator.Kind).AnnotateAsync(Input(text, extraFields: Published(PublishedAt)), CancellationToken.None);

        var date = Assert.Single(Dates(annotation));
        Assert.Equal(expectedDate, (string?)date["date"]);
        Assert.Equal(expectedPrecision, (string)date["precision"]!);
        Assert.Equal(expectedRelative, (bool)date["relative"]!);
        AssertLocated(date, text, expectedText);
    }

    [Theory]
    [InlineData("Brightline Robotics raised $40 million in a Series A led by Northgate.")]
    [InlineData("Shares of Kestrel rose 2.5% by 10:30 on heavy volume.")]
    [InlineData("The app has 2026 active users and 1,500 employees.")]
    [InlineData("Retailers expect record Black Friday sales, and prices may rise.")]
    [InlineData("Volunteers march on the capital to protest the merger.")]
    [InlineData("The messaging app was founded by Jan Koum and a former colleague.")]
    public async Task Ignores_amounts_times_counts_and_lookalike_words(string text)
    {
        var annotation = await Create(DatesAnnotator.Kind).AnnotateAsync(Input(text, extraFields: Published(PublishedAt)), CancellationToken.None);

        Assert.Empty(Dates(annotation));
        Assert.Empty(annotation.Spans!);
    }

    [Fact]
    public async Task Leaves_relative_dates_unresolved_without_a_reference_but_keeps_absolute_ones()
    {
        const string text = "Lumio said yesterday that the offer, made March 14, 2026, expires Jan. 5.";

        var annotation = await Create(DatesAnnotator.Kind).AnnotateAsync(Input(text), CancellationToken.None);

        var dates = Dates(annotation);
        Assert.Equal(["yesterday", "March 14, 2026", "Jan. 5"], dates.Select(d => (string)d["text"]!));
        Assert.Equal([null, "2026-03-14", null], dates.Select(d => (string?)d["date"]));
        Assert.Equal([true, false, true], dates.Select(d => (bool)d["relative"]!));
    }

    [Fact]
    public async Task Takes_a_date_without_year_in_the_year_nearest_the_reference()
    {
        var annotator = Create(DatesAnnotator.Kind);

        var january = await annotator.AnnotateAsync(Input("The offer expires Jan. 5.", extraFields: Published("2025-12-20")), CancellationToken.None);
        var quarter = await annotator.AnnotateAsync(Input("Rhenvale reported fourth-quarter results.", extraFields: Published("2026-02-10")), CancellationToken.None);

        Assert.Equal("2026-01-05", (string?)Dates(january)[0]["date"]);
        Assert.Equal("2025-10-01", (string?)Dates(quarter)[0]["date"]);
    }

    [Fact]
    public async Task Resolves_relative_dates_on_the_publishers_own_calendar_day()
    {
        // 23:30 in New York is already the 19th in UTC; "yesterday" is still the 17th there.
        var input = Input("Northwind Freight named a new chief executive yesterday.", extraFields: Published("2026-03-18T23:30:00-05:00"));

        var annotation = await Create(DatesAnnotator.Kind).AnnotateAsync(input, CancellationToken.None);

        Assert.Equal("2026-03-17", (string?)Dates(annotation)[0]["date"]);
    }

    [Fact]
    public async Task Reads_the_reference_from_the_configured_field()
    {
        var annotator = Create(DatesAnnotator.Kind, new JsonObject { ["referenceField"] = "editedAt" });
        var input = Input("Cobalt Bay confirmed the layoffs today.", extraFields: new JsonObject { ["publishedAt"] = PublishedAt, ["editedAt"] = "2026-04-02" });

        var annotation = await annotator.AnnotateAsync(input, CancellationToken.None);

        Assert.Equal("2026-04-02", (string?)Dates(annotation)[0]["date"]);
    }

    [Fact]
    public async Task Ignores_a_reference_that_is_not_iso_8601()
    {
        var input = Input("Cobalt Bay confirmed the layoffs today.", extraFields: Published("March 18, 2026"));

        var annotation = await Create(DatesAnnotator.Kind).AnnotateAsync(input, CancellationToken.None);

        Assert.Null(Dates(annotation)[0]["date"]);
    }

    [Fact]
    public async Task Keeps_the_longest_of_nested_forms_and_reports_spans()
    {
        const string text = "Kestrel will ship by the end of June 2026 and report on 2026-07-15.";

        var annotation = await Create(DatesAnnotator.Kind).AnnotateAsync(Input(text), CancellationToken.None);

        Assert.Equal(["end of June 2026", "2026-07-15"], Dates(annotation).Select(d => (string)d["text"]!));
        Assert.Equal(["2026-06-30", "2026-07-15"], Dates(annotation).Select(d => (string?)d["date"]));
        Assert.All(annotation.Spans!, span =>
        {
            Assert.Equal("DATE", span.Label);
            Assert.Equal(1.0, span.Score);
            Assert.Equal(span.Text, text[span.Start..span.End]);
        });
    }

    [Fact]
    public void Rejects_an_empty_reference_field()
    {
        var error = Assert.Throws<AnnotatorConfigurationException>(() => Create(DatesAnnotator.Kind, new JsonObject { ["referenceField"] = "" }));

        Assert.Equal("option 'referenceField' must not be empty", error.Message);
    }

    private static JsonObject Published(string publishedAt) => new() { ["publishedAt"] = publishedAt };

    private static List<JsonNode> Dates(Annotation annotation) => annotation.Value!["dates"]!.AsArray().Select(d => d!).ToList();
}
