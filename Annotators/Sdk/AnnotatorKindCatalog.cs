namespace Herald.Annotators;

/// <summary>The kinds a silo (or the CLI's validator) knows, by name.</summary>
public sealed class AnnotatorKindCatalog
{
    private readonly Dictionary<string, AnnotatorKind> _kinds = new(StringComparer.Ordinal);

    public AnnotatorKindCatalog(IEnumerable<AnnotatorKind> kinds)
    {
        foreach (var kind in kinds)
        {
            if (!_kinds.TryAdd(kind.Name, kind))
                throw new ArgumentException($"annotator kind '{kind.Name}' is registered twice");
        }
    }

    public IEnumerable<AnnotatorKind> Kinds => _kinds.Values.OrderBy(k => k.Name, StringComparer.Ordinal);

    public bool TryGet(string name, out AnnotatorKind kind) => _kinds.TryGetValue(name, out kind!);
}
