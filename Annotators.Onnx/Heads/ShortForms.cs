namespace Herald.Annotators.Onnx.Heads;

/// <summary>
/// Whether a mention is a later short form of a fuller name in the same document: a person by the surname
/// ("Raman" for "Priya Raman"), a company by any of its name's words ("Quillmark" for "Quillmark Labs", "Serravalle" for
/// "Occhiali Serravalle SpA"). The entity and role heads treat the two as one party.
/// </summary>
internal static class ShortForms
{
    public static bool Shortens(string mention, string name, bool person) =>
        name.Length > mention.Length && (person
            ? name.EndsWith(" " + mention, StringComparison.Ordinal)
            : name.StartsWith(mention + " ", StringComparison.Ordinal)
              || (!mention.Contains(' ') && name.Split(' ').Contains(mention, StringComparer.Ordinal) && !WordFeatures.IsCompanyWord(mention)));
}
