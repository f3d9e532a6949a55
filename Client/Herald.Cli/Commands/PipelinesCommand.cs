using System.CommandLine;
using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Pipelines;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary><c>herald pipelines validate FILE...</c>: every problem in every file, exit code 1 when there are any.</summary>
public static class PipelinesCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "pipeline YAML files or folders of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var validate = new Command("validate", "check pipeline definitions without deploying them") { files };
        validate.SetAction(parse => Validate(console, parse.GetValue(files)!));
        return new Command("pipelines", "work with pipeline definitions") { validate };
    }

    private static int Validate(IAnsiConsole console, string[] paths)
    {
        var problems = new List<PipelineProblem>();
        var sources = new List<(string, string, string)>();
        foreach (var path in paths)
        {
            try
            {
                sources.AddRange(PipelineFiles.Read(path));
            }
            catch (PipelineValidationException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        var compiler = new PipelineCompiler(new AnnotatorKindCatalog([.. BuiltInKinds.All, .. ModelKinds.All]), new AnnotatorInstances());
        var pipelines = compiler.CompileAll(sources, problems);

        foreach (var pipeline in pipelines)
            console.MarkupLineInterpolated($"[green]ok[/]    {pipeline.Source}: pipeline '{pipeline.Tag}' version {pipeline.VersionId}, {pipeline.Nodes.Count} annotators");
        foreach (var problem in problems)
            console.MarkupLineInterpolated($"[red]error[/] {problem}");
        if (problems.Count > 0)
            console.MarkupLineInterpolated($"[red]{problems.Count} problem(s) found[/]");
        return problems.Count == 0 ? 0 : 1;
    }
}
