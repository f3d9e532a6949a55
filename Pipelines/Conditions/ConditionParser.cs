using System.Globalization;

namespace Herald.Pipelines.Conditions;

/// <summary>A <c>when:</c> expression that does not parse; <see cref="Position"/> is the 0-based character offset.</summary>
public sealed class ConditionSyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>
/// Parses <c>when:</c> expressions. Grammar (lowest precedence first):
/// <code>
/// expr       := and (("||" | "or") and)*
/// and        := unary (("&amp;&amp;" | "and") unary)*
/// unary      := ("!" | "not") unary | comparison
/// comparison := primary (("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "in") primary)?
/// primary    := "(" expr ")" | "string" | 'string' | number | true | false | null | "[" literal, ... "]" | path
/// path       := annotator ("." field | "[" index "]")*
/// </code>
/// </summary>
public sealed class ConditionParser
{
    private static readonly HashSet<string> ComparisonOperators = ["==", "!=", "<", "<=", ">", ">=", "in"];

    private readonly List<ConditionToken> _tokens;
    private readonly List<string> _references = [];
    private int _next;

    private ConditionParser(string text) => _tokens = ConditionTokenizer.Tokenize(text);

    public static Condition Parse(string text)
    {
        var parser = new ConditionParser(text);
        var root = parser.ParseOr();
        var trailing = parser.Peek;
        if (trailing.Kind != TokenKind.End)
            throw new ConditionSyntaxException($"unexpected '{trailing.Text}' at column {trailing.Position + 1}", trailing.Position);
        return new Condition(text, root, parser._references.Distinct().ToArray());
    }

    private ConditionToken Peek => _tokens[_next];

    private ConditionToken Take() => _tokens[_next++];

    private bool TakeIf(params string[] texts)
    {
        if (Peek.Kind is TokenKind.Symbol or TokenKind.Word && texts.Contains(Peek.Text))
        {
            _next++;
            return true;
        }
        return false;
    }

    private ConditionNode ParseOr()
    {
        var left = ParseAnd();
        while (TakeIf("||", "or")) left = new OrNode(left, ParseAnd());
        return left;
    }

    private ConditionNode ParseAnd()
    {
        var left = ParseUnary();
        while (TakeIf("&&", "and")) left = new AndNode(left, ParseUnary());
        return left;
    }

    private ConditionNode ParseUnary() => TakeIf("!", "not") ? new NotNode(ParseUnary()) : ParseComparison();

    private ConditionNode ParseComparison()
    {
        var left = ParsePrimary();
        if (Peek.Kind is TokenKind.Symbol or TokenKind.Word && ComparisonOperators.Contains(Peek.Text))
        {
            var op = Take();
            var right = ParsePrimary();
            if (op.Text == "in" && right is not ListNode)
                throw new ConditionSyntaxException($"'in' needs a list like [\"a\", \"b\"] at column {op.Position + 1}", op.Position);
            return new CompareNode(op.Text, left, right);
        }
        return left;
    }

    private ConditionNode ParsePrimary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.String:
                return new LiteralNode(token.Text);
            case TokenKind.Number:
                return new LiteralNode(double.Parse(token.Text, CultureInfo.InvariantCulture));
            case TokenKind.Word when token.Text is "true" or "false":
                return new LiteralNode(token.Text == "true");
            case TokenKind.Word when token.Text == "null":
                return new LiteralNode(null);
            case TokenKind.Word:
                return ParsePath(token);
            case TokenKind.Symbol when token.Text == "(":
                var inner = ParseOr();
                Expect(")");
                return inner;
            case TokenKind.Symbol when token.Text == "[":
                return ParseList();
            case TokenKind.End:
                throw new ConditionSyntaxException($"expression ends where a value was expected (column {token.Position + 1})", token.Position);
            default:
                throw new ConditionSyntaxException($"unexpected '{token.Text}' at column {token.Position + 1}", token.Position);
        }
    }

    private ListNode ParseList()
    {
        var items = new List<ConditionNode>();
        if (TakeIf("]")) return new ListNode(items);
        do
        {
            var item = ParsePrimary();
            if (item is not LiteralNode)
                throw new ConditionSyntaxException($"lists may hold only literals (column {_tokens[_next - 1].Position + 1})", _tokens[_next - 1].Position);
            items.Add(item);
        }
        while (TakeIf(","));
        Expect("]");
        return new ListNode(items);
    }

    private PathNode ParsePath(ConditionToken head)
    {
        _references.Add(head.Text);
        var segments = new List<object>();
        while (true)
        {
            if (TakeIf("."))
            {
                var field = Take();
                if (field.Kind != TokenKind.Word)
                    throw new ConditionSyntaxException($"expected a field name after '.' at column {field.Position + 1}", field.Position);
                segments.Add(field.Text);
            }
            else if (TakeIf("["))
            {
                var index = Take();
                if (index.Kind != TokenKind.Number || !int.TryParse(index.Text, out var i) || i < 0)
                    throw new ConditionSyntaxException($"expected an array index at column {index.Position + 1}", index.Position);
                segments.Add(i);
                Expect("]");
            }
            else
            {
                return new PathNode(head.Text, segments);
            }
        }
    }

    private void Expect(string symbol)
    {
        var token = Take();
        if (token.Kind != TokenKind.Symbol || token.Text != symbol)
        {
            var found = token.Kind == TokenKind.End ? "the end of the expression" : $"'{token.Text}'";
            throw new ConditionSyntaxException($"expected '{symbol}' at column {token.Position + 1} but found {found}", token.Position);
        }
    }
}
