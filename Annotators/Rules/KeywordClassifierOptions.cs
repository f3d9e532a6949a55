namespace Herald.Annotators.Rules;

/// <summary>Options of the <c>keywords</c> kind.</summary>
public sealed class KeywordClassifierOptions
{
    /// <summary>
    /// Label to phrases. Phrases match whole words, case-insensitively; a trailing '*' matches any word ending
    /// ("acquir*"). Ordered, because ties go to the label declared first.
    /// </summary>
    public OrderedDictionary<string, string[]> Labels { get; init; } = [];

    /// <summary>The label given when no phrase matches.</summary>
    public string DefaultLabel { get; init; } = "other";

    /// <summary>Where phrases are looked for: "text", or "title+text" (the title too, when there is one).</summary>
    public string Field { get; init; } = KeywordClassifier.TitleAndText;
}
