namespace Herald.Annotators.Rules.Entities;

/// <summary>Options of the <c>entities</c> kind.</summary>
public sealed class EntityOptions
{
    /// <summary>Names always recognised as organisations, exactly as written (a gazetteer).</summary>
    public List<string> Organizations { get; set; } = [];

    /// <summary>Names always recognised as people, exactly as written.</summary>
    public List<string> People { get; set; } = [];

    /// <summary>Only this many characters of a text are read (news leads carry the parties; the rules are not for books).</summary>
    public int MaxCharacters { get; set; } = 20_000;

    /// <summary>Entities scored below this are left out.</summary>
    public double MinScore { get; set; } = 0.5;
}
