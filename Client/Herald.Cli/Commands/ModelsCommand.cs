using System.CommandLine;
using Herald.Cli.Training;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary><c>herald models train</c>: trains the default pipeline's classification heads and writes their model card.</summary>
public static class ModelsCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var data = new Option<string>("--data") { Description = "labelled examples (JSONL: text, relevant, label)", DefaultValueFactory = _ => "models/training/news-events.jsonl" };
        var output = new Option<string>("--out") { Description = "folder for the ONNX heads and MODEL_CARD.md", DefaultValueFactory = _ => "pipelines/models" };
        var evaluation = new Option<string?>("--eval") { Description = "documents (JSONL) never trained on, to evaluate the heads as the pipeline runs them" };
        var evaluationLabels = new Option<string?>("--eval-labels") { Description = "their labels (JSONL: id, label)" };
        var minimum = new Option<double>("--min-accuracy") { Description = "fail when event-type's held-out accuracy is lower", DefaultValueFactory = _ => 0.85 };
        var train = new Command("train", "train the relevance and event-type heads on MiniLM embeddings and export them to ONNX")
        {
            data, output, evaluation, evaluationLabels, minimum,
        };
        train.SetAction(parse => Train(console, parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(evaluation), parse.GetValue(evaluationLabels), parse.GetValue(minimum)));
        return new Command("models", "train and describe Herald's models") { train };
    }

    private static int Train(IAnsiConsole console, string data, string output, string? evaluation, string? evaluationLabels, double minimum)
    {
        if (!File.Exists(data))
        {
            console.MarkupLineInterpolated($"[red]error[/] training data {data} does not exist");
            return 2;
        }
        if ((evaluation is null) != (evaluationLabels is null))
        {
            console.MarkupLine("[red]error[/] --eval and --eval-labels go together");
            return 2;
        }
        TrainingReport report;
        try
        {
            report = NewsHeads.Train(data, output, evaluation, evaluationLabels, message => console.MarkupLineInterpolated($"[grey]{message}[/]"));
        }
        catch (FormatException e)
        {
            console.MarkupLineInterpolated($"[red]error[/] {e.Message}");
            return 2;
        }
        File.WriteAllText(Path.Combine(output, "MODEL_CARD.md"), ModelCard.Render(report, data));

        console.MarkupLineInterpolated($"relevance held-out accuracy  {report.RelevanceHeldOut.Accuracy:0.000} ({report.RelevanceHeldOut.Correct}/{report.RelevanceHeldOut.Total})");
        console.MarkupLineInterpolated($"event-type held-out accuracy {report.EventTypeHeldOut.Accuracy:0.000} ({report.EventTypeHeldOut.Correct}/{report.EventTypeHeldOut.Total})");
        if (report.PipelineOnEvaluation is { } pipeline)
            console.MarkupLineInterpolated($"pipeline accuracy on {evaluation}: {pipeline.Accuracy:0.000} ({pipeline.Correct}/{pipeline.Total})");
        console.MarkupLineInterpolated($"wrote {Path.Combine(output, NewsHeads.RelevanceFile)}, {Path.Combine(output, NewsHeads.EventTypeFile)} and MODEL_CARD.md");
        if (report.EventTypeHeldOut.Accuracy >= minimum) return 0;
        console.MarkupLineInterpolated($"[red]event-type held-out accuracy {report.EventTypeHeldOut.Accuracy:0.000} is below {minimum:0.00}[/]");
        return 1;
    }
}
