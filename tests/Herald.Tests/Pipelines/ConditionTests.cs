using System.Text.Json;
using Herald.Pipelines.Conditions;

namespace Herald.Tests.Pipelines;

public sealed class ConditionTests
{
    private static readonly Dictionary<string, JsonElement> Values = new()
    {
        ["relevance"] = JsonDocument.Parse("""{"label":"relevant","score":0.82}""").RootElement,
        ["money"] = JsonDocument.Parse("""{"amounts":[{"amount":40000000,"currency":"USD"}],"largest":{"amount":40000000}}""").RootElement,
        ["event-type"] = JsonDocument.Parse("""{"label":"acquisition"}""").RootElement,
    };

    private static bool Eval(string expression) => ConditionParser.Parse(expression).Evaluate(n => Values.TryGetValue(n, out var v) ? v : null);

    [Theory]
    [InlineData("relevance.label == \"relevant\"", true)]
    [InlineData("relevance.label == 'irrelevant'", false)]
    [InlineData("relevance.label != \"irrelevant\"", true)]
    [InlineData("relevance.score >= 0.8 && relevance.score < 0.9", true)]
    [InlineData("relevance.score > 0.9 || event-type.label == \"acquisition\"", true)]
    [InlineData("not (relevance.score > 0.5)", false)]
    [InlineData("!relevance.missing", true)]
    [InlineData("money.amounts[0].currency == \"USD\"", true)]
    [InlineData("money.amounts[3].currency == \"USD\"", false)]
    [InlineData("money.largest.amount > 1000000", true)]
    [InlineData("event-type.label in [\"acquisition\", \"funding_round\"]", true)]
    [InlineData("event-type.label in []", false)]
    [InlineData("money.amounts", true)]
    [InlineData("relevance.label > 3", false)]
    [InlineData("unknown.label == null", false)]
    [InlineData("relevance.missing != \"x\"", false)]
    public void Evaluates_against_dependency_values(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Lists_the_annotators_it_reads()
    {
        var condition = ConditionParser.Parse("relevance.score > 0.5 and (event-type.label == \"x\" or relevance.label == \"y\")");
        Assert.Equal(["relevance", "event-type"], condition.References);
    }

    [Theory]
    [InlineData("relevance.label ==", "expression ends where a value was expected (column 19)")]
    [InlineData("relevance.label = \"x\"", "unexpected character '=' at column 17")]
    [InlineData("(relevance.score > 1", "expected ')' at column 21 but found the end of the expression")]
    [InlineData("relevance.label == \"open", "unterminated string starting at column 20")]
    [InlineData("relevance. == 1", "expected a field name after '.' at column 12")]
    [InlineData("relevance.label in \"x\"", "'in' needs a list like [\"a\", \"b\"] at column 17")]
    [InlineData("relevance.score 1", "unexpected '1' at column 17")]
    [InlineData("money.largest.amount > 1e6", "unexpected 'e6' at column 25")]
    public void Syntax_errors_say_where(string expression, string message)
    {
        var error = Assert.Throws<ConditionSyntaxException>(() => ConditionParser.Parse(expression));
        Assert.Equal(message, error.Message);
    }
}
