using System.Text.Json;

namespace Herald.Annotators;

/// <summary>The document being annotated, as received, with its well-known fields pulled out.</summary>
public sealed class AnnotatorDocument(string id, string text, string? title, string json)
{
    private JsonElement? _root;

    public string Id { get; } = id;
    public string Text { get; } = text;
    public string? Title { get; } = title;

    /// <summary>"Title. Text", or the text alone without a title: what the models that read a whole document encode.</summary>
    public string TitleAndText => JoinTitle(Title, Text);

    /// <summary>Where <see cref="Text"/> starts in <see cref="TitleAndText"/>.</summary>
    public int TextOffset => Title is null ? 0 : Title.Length + 2;

    public static string JoinTitle(string? title, string text) => title is null ? text : $"{title}. {text}";

    /// <summary>The whole document JSON as received (unknown fields included).</summary>
    public string Json { get; } = json;

    /// <summary>The document JSON, parsed on first use.</summary>
    public JsonElement Root => _root ??= JsonElement.Parse(Json);
}

/// <summary>The result of one dependency, as its annotator produced it.</summary>
public sealed class DependencyResult(string version, string valueJson, string? spansJson)
{
    private JsonElement? _value;
    private IReadOnlyList<AnnotationSpan>? _spans;

    public string Version { get; } = version;
    public JsonElement Value => _value ??= JsonElement.Parse(valueJson);
    public IReadOnlyList<AnnotationSpan> Spans => _spans ??= spansJson is null
        ? []
        : JsonSerializer.Deserialize<AnnotationSpan[]>(spansJson) ?? [];
}

/// <summary>
/// Everything an annotator may read: the document and only the results of its declared dependencies,
/// keyed by dependency name.
/// </summary>
public sealed class AnnotatorInput(AnnotatorDocument document, IReadOnlyDictionary<string, DependencyResult> dependencies)
{
    public AnnotatorDocument Document { get; } = document;
    public IReadOnlyDictionary<string, DependencyResult> Dependencies { get; } = dependencies;

    public DependencyResult? Dependency(string name) => Dependencies.GetValueOrDefault(name);
}
