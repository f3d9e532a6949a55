using System.Text.Json;

namespace Herald.Pipelines.Conditions;

/// <summary>
/// A parsed <c>when:</c> expression, e.g. <c>relevance.label == "relevant" &amp;&amp; relevance.score &gt;= 0.6</c>.
/// Paths start with a dependency's name and walk into its JSON value; see <see cref="ConditionParser"/> for the grammar.
/// </summary>
public sealed class Condition
{
    private readonly ConditionNode _root;

    internal Condition(string text, ConditionNode root, IReadOnlyList<string> references)
    {
        Text = text;
        _root = root;
        References = references;
    }

    public string Text { get; }

    /// <summary>The annotator names the expression reads (the first segment of every path).</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>Evaluates against the dependencies' values; a missing path or mismatched types compare as false.</summary>
    public bool Evaluate(Func<string, JsonElement?> dependencyValue) => ConditionValue.IsTruthy(_root.Evaluate(dependencyValue));

    public override string ToString() => Text;
}
