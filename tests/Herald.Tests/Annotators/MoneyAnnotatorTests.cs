using System.Globalization;
using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Rules;
using Xunit;
using static Herald.Tests.Annotators.AnnotatorTestKit;

namespace Herald.Tests.Annotators;

public sealed class MoneyAnnotatorTests
{
    [Theory]
    [InlineData("Brightline Robotics raised $40M in a Series B led by Northgate Capital.", "$40M", "40000000", "USD")]
    [InlineData("Verdant Foods closed a $40 million round to expand into Texas.", "$40 million", "40000000", "USD")]
    [InlineData("Kestrel Systems is now valued at $1.2B, the company said.", "$1.2B", "1200000000", "USD")]
    [InlineData("Halvard Group agreed to buy the unit for $1.2 billion in cash.", "$1.2 billion", "1200000000", "USD")]
    [InlineData("Lumio Health raised US$15m from regional investors.", "US$15m", "15000000", "USD")]
    [InlineData("The Berlin-based startup secured EUR 3.5 million in seed funding.", "EUR 3.5 million", "3500000", "EUR")]
    [InlineData("Paris-based Ondine raised €3.5 million to hire engineers.", "€3.5 million", "3500000", "EUR")]
    [InlineData("Stockholm's Fjordly closed a €120M growth round.", "€120M", "120000000", "EUR")]
    [InlineData("London insurer Harbourline raised £8 million from existing backers.", "£8 million", "8000000", "GBP")]
    [InlineData("The pension fund committed GBP 20m to Harbourline's new vehicle.", "GBP 20m", "20000000", "GBP")]
    [InlineData("Tallwood Mining agreed to pay 40 million dollars to settle the claims.", "40 million dollars", "40000000", "USD")]
    [InlineData("Orbis Pharma will invest 12.5 million euros in its Lyon plant.", "12.5 million euros", "12500000", "EUR")]
    [InlineData("Zurich-based Alpenlink raised CHF 12 million in a Series A.", "CHF 12 million", "12000000", "CHF")]
    [InlineData("Tokyo's Kanso Labs raised ¥2 billion from corporate investors.", "¥2 billion", "2000000000", "JPY")]
    [InlineData("Mapleway sold the patent portfolio for $750,000 last year.", "$750,000", "750000", "USD")]
    [InlineData("Quillsoft closed a $750K pre-seed round.", "$750K", "750000", "USD")]
    [InlineData("Quillsoft closed a $750k pre-seed round.", "$750k", "750000", "USD")]
    [InlineData("Bengaluru-based Kirana Cloud raised INR 400 crore in fresh capital.", "INR 400 crore", "4000000000", "INR")]
    [InlineData("Kirana Cloud paid its founders Rs 5 lakh each.", "Rs 5 lakh", "500000", "INR")]
    [InlineData("The conglomerate plans capital spending of Rs 1.5 lakh crore.", "Rs 1.5 lakh crore", "1500000000000", "INR")]
    [InlineData("Rhenvale's bid values the group at €2.5bn.", "€2.5bn", "2500000000", "EUR")]
    [InlineData("Northwind Freight posted a loss of $45mn in the quarter.", "$45mn", "45000000", "USD")]
    [InlineData("Cobalt Bay raised a $2.5-million seed round.", "$2.5-million", "2500000", "USD")]
    [InlineData("Maplewood Energy raised C$25 million for its wind farm.", "C$25 million", "25000000", "CAD")]
    [InlineData("Sydney's Wattle Pay raised A$10m in a Series A.", "A$10m", "10000000", "AUD")]
    [InlineData("The club was sold for 12 million Swiss francs.", "12 million Swiss francs", "12000000", "CHF")]
    [InlineData("The contract is worth 3 million USD over three years.", "3 million USD", "3000000", "USD")]
    [InlineData("Ferrovia Capital set aside $40MM for the buyback.", "$40MM", "40000000", "USD")]
    [InlineData("Shenzhen-based Lanting raised RMB 500 million.", "RMB 500 million", "500000000", "CNY")]
    [InlineData("Frostvale Ventures put nine million dollars into Orchardline.", "nine million dollars", "9000000", "USD")]
    [InlineData("Ironvale agreed to buy it for two billion dollars in cash.", "two billion dollars", "2000000000", "USD")]
    [InlineData("Nine million euros came from Kelpwater Capital.", "Nine million euros", "9000000", "EUR")]
    [InlineData("The round brought in twenty-five million pounds.", "twenty-five million pounds", "25000000", "GBP")]
    [InlineData("Wrenfield raised half a million dollars from angels.", "half a million dollars", "500000", "USD")]
    [InlineData("Copperline sold the unit for a billion dollars.", "a billion dollars", "1000000000", "USD")]
    [InlineData("Harrow paid three hundred million yen for the plant.", "three hundred million yen", "300000000", "JPY")]
    public async Task Finds_each_money_format_with_amount_currency_and_offsets(string text, string expectedText, string expectedAmount, string expectedCurrency)
    {
        var annotation = await Create(MoneyAnnotator.Kind).AnnotateAsync(Input(text), CancellationToken.None);

        var amount = Assert.Single(Amounts(annotation));
        Assert.Equal(decimal.Parse(expectedAmount, CultureInfo.InvariantCulture), (decimal)amount["amount"]!);
        Assert.Equal(expectedCurrency, (string)amount["currency"]!);
        AssertLocated(amount, text, expectedText);
    }

    [Theory]
    [InlineData("The app now has 40 million users across Europe.")]
    [InlineData("Northgate Capital led the Series B in 2026.")]
    [InlineData("Revenue grew 3.5% year over year, to 2,400 customers.")]
    [InlineData("The shares rose 2.5 points by 10:30 in New York.")]
    [InlineData("The bloc's 19 euro-zone members back the rules.")]
    [InlineData("Lumio expects to raise $30-40 million next year.")]
    [InlineData("Two dollars a share was not enough, one analyst said.")]
    [InlineData("Ninety million users signed up; a million people watched.")]
    public async Task Ignores_numbers_without_a_currency_and_ranges(string text)
    {
        var annotation = await Create(MoneyAnnotator.Kind).AnnotateAsync(Input(text), CancellationToken.None);

        Assert.Empty(Amounts(annotation));
        Assert.Null(annotation.Value!["largest"]);
        Assert.Empty(annotation.Spans!);
    }

    [Fact]
    public async Task Reports_every_amount_in_order_as_spans_and_picks_the_largest()
    {
        const string text = "Harbourline raised £8 million, after a £2 million seed round and a $500,000 grant.";

        var annotation = await Create(MoneyAnnotator.Kind).AnnotateAsync(Input(text), CancellationToken.None);

        Assert.Equal(["£8 million", "£2 million", "$500,000"], Amounts(annotation).Select(a => (string)a["text"]!));
        Assert.Equal("£8 million", (string)annotation.Value!["largest"]!["text"]!);
        Assert.Equal(8_000_000m, (decimal)annotation.Value!["largest"]!["amount"]!);
        Assert.All(annotation.Spans!, span =>
        {
            Assert.Equal("MONEY", span.Label);
            Assert.Equal(1.0, span.Score);
            Assert.Equal(span.Text, text[span.Start..span.End]);
        });
        Assert.Equal(text.IndexOf("$500,000", StringComparison.Ordinal), annotation.Spans![2].Start);
    }

    [Fact]
    public async Task Writes_amounts_as_plain_json_numbers()
    {
        var annotation = await Create(MoneyAnnotator.Kind).AnnotateAsync(Input("Kestrel raised $1.2B."), CancellationToken.None);

        Assert.Equal("1200000000", Amounts(annotation)[0]["amount"]!.ToJsonString());
    }

    [Fact]
    public async Task Counts_offsets_in_utf16_units_after_characters_outside_the_bmp()
    {
        const string text = "🚀 Brightline raised $40M.";

        var annotation = await Create(MoneyAnnotator.Kind).AnnotateAsync(Input(text), CancellationToken.None);

        var span = Assert.Single(annotation.Spans!);
        Assert.Equal(21, span.Start);
        Assert.Equal("$40M", text[span.Start..span.End]);
    }

    [Fact]
    public async Task Skips_amounts_below_min_amount()
    {
        var annotator = Create(MoneyAnnotator.Kind, new JsonObject { ["minAmount"] = 1_000_000 });

        var annotation = await annotator.AnnotateAsync(Input("Harbourline took a $500,000 grant and a £2 million loan."), CancellationToken.None);

        Assert.Equal("£2 million", (string)Assert.Single(Amounts(annotation))["text"]!);
    }

    [Fact]
    public void Rejects_a_negative_min_amount()
    {
        var error = Assert.Throws<AnnotatorConfigurationException>(() => Create(MoneyAnnotator.Kind, new JsonObject { ["minAmount"] = -1 }));

        Assert.Equal("option 'minAmount' must not be negative", error.Message);
    }

    [Fact]
    public void Rejects_an_unknown_option_and_declares_its_keys()
    {
        Assert.Throws<AnnotatorConfigurationException>(() => Create(MoneyAnnotator.Kind, new JsonObject { ["minimum"] = 5 }));
        Assert.Equal(["minAmount"], MoneyAnnotator.Kind.OptionKeys);
    }

    private static List<JsonNode> Amounts(Annotation annotation) => annotation.Value!["amounts"]!.AsArray().Select(a => a!).ToList();
}
