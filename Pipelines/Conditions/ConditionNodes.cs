using System.Text.Json;

namespace Herald.Pipelines.Conditions;

internal abstract record ConditionNode
{
    /// <summary>Returns a string, double, bool, null, a <see cref="JsonElement"/> (object/array), or <see cref="ConditionValue.Missing"/>.</summary>
    public abstract object? Evaluate(Func<string, JsonElement?> dependencyValue);
}

internal sealed record LiteralNode(object? Value) : ConditionNode
{
    public override object? Evaluate(Func<string, JsonElement?> dependencyValue) => Value;
}

internal sealed record ListNode(IReadOnlyList<ConditionNode> Items) : ConditionNode
{
    public override object? Evaluate(Func<string, JsonElement?> dependencyValue) => Items.Select(i => i.Evaluate(dependencyValue)).ToArray();
}

/// <summary><c>name.field[0].sub</c>: segments are property names or array indexes.</summary>
internal sealed record PathNode(string Annotator, IReadOnlyList<object> Segments) : ConditionNode
{
    public override object? Evaluate(Func<string, JsonElement?> dependencyValue)
    {
        if (dependencyValue(Annotator) is not { } element) return ConditionValue.Missing;
        foreach (var segment in Segments)
        {
            if (segment is string property && element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var child))
                element = child;
            else if (segment is int index && element.ValueKind == JsonValueKind.Array && index < element.GetArrayLength())
                element = element[index];
            else
                return ConditionValue.Missing;
        }
        return ConditionValue.FromJson(element);
    }
}

internal sealed record NotNode(ConditionNode Operand) : ConditionNode
{
    public override object? Evaluate(Func<string, JsonElement?> dependencyValue) => !ConditionValue.IsTruthy(Operand.Evaluate(dependencyValue));
}

internal sealed record AndNode(ConditionNode Left, ConditionNode Right) : ConditionNode
{
    public override object? Evaluate(Func<string, JsonElement?> dependencyValue) =>
        ConditionValue.IsTruthy(Left.Evaluate(dependencyValue)) && ConditionValue.IsTruthy(Right.Evaluate(dependencyValue));
}

internal sealed record OrNode(ConditionNode Left, ConditionNode Right) : ConditionNode
{
    public override object? Evaluate(Func<string, JsonElement?> dependencyValue) =>
        ConditionValue.IsTruthy(Left.Evaluate(dependencyValue)) || ConditionValue.IsTruthy(Right.Evaluate(dependencyValue));
}

internal sealed record CompareNode(string Operator, ConditionNode Left, ConditionNode Right) : ConditionNode
{
    public override object? Evaluate(Func<string, JsonElement?> dependencyValue)
    {
        var left = Left.Evaluate(dependencyValue);
        var right = Right.Evaluate(dependencyValue);
        return Operator switch
        {
            "==" => ConditionValue.AreEqual(left, right),
            "!=" => !ConditionValue.AreEqual(left, right) && left != ConditionValue.Missing,
            "in" => right is object?[] items && items.Any(item => ConditionValue.AreEqual(left, item)),
            _ => ConditionValue.Compare(left, right) is { } order && Operator switch
            {
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            },
        };
    }
}

/// <summary>Value semantics shared by the nodes: JSON-like equality, numeric/string ordering, truthiness.</summary>
internal static class ConditionValue
{
    public static readonly object Missing = new();

    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => element.Clone(),
    };

    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0,
        string s => s.Length > 0,
        JsonElement e => e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() > 0 : e.ValueKind == JsonValueKind.Object,
        _ => false, // Missing
    };

    public static bool AreEqual(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (string a, string b) => a == b,
        (double a, double b) => a == b,
        (bool a, bool b) => a == b,
        _ => false,
    };

    public static int? Compare(object? left, object? right) => (left, right) switch
    {
        (double a, double b) => a.CompareTo(b),
        (string a, string b) => string.CompareOrdinal(a, b),
        _ => null,
    };
}
