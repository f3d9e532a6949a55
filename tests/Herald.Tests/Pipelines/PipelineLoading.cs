using Herald.Annotators;
using Herald.Pipelines;

namespace Herald.Tests.Pipelines;

/// <summary>What a silo does with a definition: compile it (pure checks), then activate it (load models, pin versions).</summary>
internal static class PipelineLoading
{
    /// <summary>Every problem of compiling <paramref name="yaml"/> and, when it compiles, of activating it in <paramref name="instances"/>.</summary>
    public static (CompiledPipeline? Pipeline, List<string> Problems) Load(
        AnnotatorKindCatalog kinds, string yaml, string source, string folder, AnnotatorInstances? instances = null)
    {
        var problems = new List<PipelineProblem>();
        var pipeline = (instances ?? new AnnotatorInstances()).CompileAndActivate(new PipelineCompiler(kinds), yaml, source, folder, problems);
        return (pipeline, problems.Select(p => p.ToString()).ToList());
    }

    /// <summary>
    /// Loads each annotator of <paramref name="yaml"/> alone (the others blanked, so lines and columns stay), as a deploy of
    /// it would: every annotator's problems, whether found by compiling or only by activating.
    /// </summary>
    public static List<string> LoadEachAnnotator(AnnotatorKindCatalog kinds, string yaml, string source, string folder)
    {
        var lines = yaml.Split('\n');
        var annotators = lines.Select((line, i) => (line, i)).Where(x => x.line.TrimStart().StartsWith("- {", StringComparison.Ordinal)).Select(x => x.i).ToList();
        return [.. annotators.SelectMany(keep =>
            Load(kinds, string.Join('\n', lines.Select((line, i) => annotators.Contains(i) && i != keep ? "#" : line)), source, folder).Problems)];
    }
}
