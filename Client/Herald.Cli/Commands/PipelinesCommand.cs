using Herald.Annotators.Remote;
using System.CommandLine;
using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Pipelines;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald pipelines validate FILE...</c> (locally: every problem in every file, exit code 1 when there are any),
/// <c>herald pipelines list</c> and <c>herald pipelines deploy FILE</c> (on the cluster).
/// </summary>
public static class PipelinesCommand
{
    public static Command Create(IAnsiConsole console, ClusterConnection cluster)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "pipeline YAML files or folders of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var validate = new Command("validate", "check pipeline definitions without deploying them") { files };
        validate.SetAction(parse => Validate(console, parse.GetValue(files)!));

        var list = cluster.With(new Command("list", "the pipelines deployed on the cluster"));
        list.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, async () =>
        {
            using var client = cluster.Client(parse);
            var table = new Table().AddColumns("pipeline", "version", "annotators");
            foreach (var pipeline in await client.GetPipelinesAsync(cancellation))
                table.AddRow(Markup.Escape(pipeline.Tag), pipeline.Version, Markup.Escape(string.Join(", ", pipeline.Annotators.Select(a => $"{a.Name}@{a.Version}"))));
            console.Write(table);
            return 0;
        }));

        var file = new Argument<string>("file") { Description = "a pipeline YAML file" };
        var deploy = cluster.With(new Command("deploy", "validate a definition and deploy it as its pipeline's new version, without a restart") { file });
        deploy.SetAction((parse, cancellation) => ClusterConnection.RunAsync(console, async () =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                console.MarkupLineInterpolated($"[red]error[/] {path} does not exist");
                return ClusterConnection.BadInput;
            }
            var yaml = await File.ReadAllTextAsync(path, cancellation);
            var tag = PipelineFiles.TagOf(yaml);
            if (tag is null)
            {
                console.MarkupLineInterpolated($"[red]error[/] {path} has no 'pipeline:' tag");
                return ClusterConnection.BadInput;
            }
            using var client = cluster.Client(parse);
            var result = await client.DeployPipelineAsync(tag, yaml, cancellation);
            console.MarkupLineInterpolated($"[green]deployed[/] pipeline '{tag}' version {result.Version} on {result.AppliedBySilos} of {result.Silos} silo(s)");
            return 0;
        }));
        return new Command("pipelines", "work with pipeline definitions") { validate, list, deploy };
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
        // Validation checks and loads nothing: no model is loaded and no service called (a deploy does both).
        var compiler = new PipelineCompiler(new AnnotatorKindCatalog([.. BuiltInKinds.All, .. ModelKinds.All, .. RemoteKinds.All, RemoteKinds.KafkaWorkers(null)]));
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
