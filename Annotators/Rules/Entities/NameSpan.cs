namespace Herald.Annotators.Rules.Entities;

/// <summary>A run of capitalised words (tokens <see cref="First"/>..<see cref="Last"/>) that may be a name.</summary>
internal sealed class NameSpan(int first, int last, IReadOnlyList<WordToken> tokens, string text)
{
    public int First { get; } = first;
    public int Last { get; } = last;
    public int Start => tokens[First].Start;
    public int End => tokens[Last].End;
    public string Text { get; } = text[tokens[first].Start..tokens[last].End];
    public int WordCount => Last - First + 1;
    public IEnumerable<string> Words => Enumerable.Range(First, WordCount).Select(i => tokens[i].Bare);

    public string? Label { get; set; }
    public double Score { get; set; }

    public void Classify(string label, double score)
    {
        if (Label is null || score > Score)
            (Label, Score) = (label, score);
    }
}
