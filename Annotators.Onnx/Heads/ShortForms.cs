namespace Herald.Annotators.Onnx.Heads;

/// <summary>
/// Whether a mention is a later short form of a fuller name in the same document: a person by the surname
/// ("Raman" for "Priya Raman"), a company by any of its name's words ("Quillmark" for "Quillmark Labs", "Serravalle" for
/// "Occhiali Serravalle SpA"). The entity and role heads treat the two as one party.
/// </summary>
internal static class ShortForms
{
    public static bool Shortens(string mention, string name, bool person)
    {
        if (name.Length <= mention.Length) return false;
        var (short_, full) = (Words(mention), Words(name));
        if (short_.Length >= full.Length) return false;
        return person
            ? full[^short_.Length..].SequenceEqual(short_, StringComparer.Ordinal)
            : full[..short_.Length].SequenceEqual(short_, StringComparer.Ordinal)
              || (short_.Length == 1 && full.Contains(mention, StringComparer.Ordinal) && !WordFeatures.IsCompanyWord(mention));
    }

    /// <summary>A name's words, split at spaces and no-break spaces.</summary>
    public static string[] Words(string name) => name.Split([' ', '\u00A0'], StringSplitOptions.RemoveEmptyEntries);
}
