using System.Text;

namespace Herald.Cli.Training;

/// <summary>Accuracy and confusion matrix of predicted against expected labels.</summary>
public sealed class Confusion(IReadOnlyList<string> labels)
{
    private readonly int[,] _counts = new int[labels.Count, labels.Count];

    public int Total { get; private set; }

    public int Correct { get; private set; }

    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    public void Add(string expected, string predicted)
    {
        _counts[IndexOf(expected), IndexOf(predicted)]++;
        Total++;
        if (expected == predicted) Correct++;
    }

    /// <summary>A Markdown table: rows are the true labels, columns the predictions.</summary>
    public string ToMarkdown()
    {
        var table = new StringBuilder();
        table.AppendLine($"| true \\ predicted | {string.Join(" | ", labels)} |");
        table.AppendLine($"|---|{string.Concat(labels.Select(_ => "---:|"))}");
        for (var row = 0; row < labels.Count; row++)
            table.AppendLine($"| {labels[row]} | {string.Join(" | ", Enumerable.Range(0, labels.Count).Select(column => _counts[row, column]))} |");
        return table.ToString();
    }

    private int IndexOf(string label)
    {
        for (var i = 0; i < labels.Count; i++)
            if (labels[i] == label) return i;
        throw new ArgumentException($"unknown label '{label}' (known: {string.Join(", ", labels)})");
    }
}
