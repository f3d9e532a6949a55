using System.Text.RegularExpressions;

namespace Herald.Annotators.Onnx.Heads;

/// <summary>
/// Job titles as news writes them ("chief financial officer", "CFO", "chair of its board", "head of Europe",
/// "managing director and CEO", "managing partner", "VP finance"): the candidates among which the role head picks the appointee's.
/// </summary>
internal static partial class JobTitles
{
    public static IEnumerable<(string Text, int Start, int End)> Find(string text) =>
        Pattern().Matches(text).Select(m => (m.Value, m.Index, m.Index + m.Length));

    [GeneratedRegex("""
        (?<![\p{L}\p{N}])
        (?:(?i:interim|acting|deputy|group|global|executive|senior|independent|non-executive|co-)\s?)?
        (?:
          (?i:chief)\s(?:[\p{L}-]+\s){0,2}?(?i:officer)
        | (?i:chief\sexecutive)
        | (?:CEO|CFO|COO|CTO|CMO|CIO|CPO|CRO|CHRO|CCO|CISO)
        | (?i:chair(?:man|woman|person)?(?:\sof\s(?:its|the)\sboard)?)
        | (?i:president)(?:\s(?i:and)\s(?:(?i:chief)\s(?:[\p{L}-]+\s){0,2}?(?i:officer)|(?i:chief\sexecutive)|CEO|COO|CFO))?
        | (?i:managing\sdirector|general\smanager|general\scounsel|company\ssecretary|treasurer|outside\sdirector|board\smember)(?:\s(?i:and)\s(?:CEO|CFO|COO))?
        | (?i:(?:managing|general|founding)\spartner|(?:non-executive|executive|independent|creative)\sdirector)
        | (?i:VP)\s(?i:finance|sales|engineering|marketing|product|operations|people)
        | (?i:(?:senior\s)?vice\spresident|head|director|VP)(?:\s(?i:of)\s(?:[A-Z][\p{L}-]+|[a-z]+)(?:\s(?:[A-Z][\p{L}-]+|and\s[a-z]+))?)
        | (?i:finance|technology|operating|marketing|product)\schief
        | (?i:directrice|directeur)\s(?i:générale?)
        )
        (?![\p{L}\p{N}])
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
