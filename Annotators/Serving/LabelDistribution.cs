using System.Text.Json.Nodes;

namespace Herald.Annotators.Serving;

/// <summary>A classifier's value, shared by every kind that classifies: <c>{"label", "score", "distribution": {label: p}}</c>.</summary>
public static class LabelDistribution
{
    /// <summary>Scores that already form a distribution are kept; anything else (logits) goes through softmax.</summary>
    public static float[] Normalize(float[] scores)
    {
        if (scores.All(v => v is >= 0 and <= 1) && Math.Abs(scores.Sum() - 1) < 1e-3) return scores;
        var max = scores.Max();
        var exp = scores.Select(v => MathF.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }

    public static JsonObject ToValue(IReadOnlyList<string> labels, float[] distribution)
    {
        var best = Array.IndexOf(distribution, distribution.Max());
        var byLabel = new JsonObject();
        for (var i = 0; i < labels.Count; i++) byLabel[labels[i]] = Math.Round(distribution[i], 4);
        return new JsonObject
        {
            ["label"] = labels[best],
            ["score"] = Math.Round(distribution[best], 4),
            ["distribution"] = byLabel,
        };
    }
}
