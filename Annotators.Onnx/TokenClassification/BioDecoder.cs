namespace Herald.Annotators.Onnx.TokenClassification;

/// <summary>An entity found in the text: UTF-16 offsets into it (end exclusive) and the mean score of its words.</summary>
internal sealed record Entity(string Text, string Label, int Start, int End, double Score);

/// <summary>
/// Turns per-word labels into entities. Each word takes the label of its first word piece (sub-word aggregation
/// "first", as Hugging Face pipelines do). BIO/IOB2 tags are decoded: B-X starts an entity, I-X continues an entity
/// of type X; an I-X that follows anything else starts one too (IOB1 and sloppy models); O ends it. Labels without a
/// prefix ("PER") behave like I-.
/// </summary>
internal static class BioDecoder
{
    public static IReadOnlyList<Entity> Decode(string text, IReadOnlyList<(int Start, int End)> words, IReadOnlyList<(string Label, double Score)> wordLabels, double minScore)
    {
        var entities = new List<Entity>();
        var (type, first, last, scores) = ((string?)null, 0, 0, new List<double>());
        for (var w = 0; w < wordLabels.Count; w++)
        {
            var (tag, score) = wordLabels[w];
            var (prefix, entityType) = Split(tag);
            var continues = type is not null && entityType == type && prefix != 'B';
            if (!continues) Close();
            if (entityType is null) continue;
            if (!continues) (type, first, scores) = (entityType, w, []);
            last = w;
            scores.Add(score);
        }
        Close();
        return entities;

        void Close()
        {
            if (type is null) return;
            var (start, end) = (words[first].Start, words[last].End);
            var mean = scores.Average();
            if (mean >= minScore) entities.Add(new Entity(text[start..end], type, start, end, Math.Round(mean, 4)));
            type = null;
        }
    }

    private static (char Prefix, string? Type) Split(string tag) =>
        tag == "O" ? ('O', null)
        : tag.Length > 2 && tag[1] is '-' or '_' && tag[0] is 'B' or 'I' or 'E' or 'S' ? (tag[0] is 'B' or 'S' ? 'B' : 'I', tag[2..])
        : ('I', tag);
}
