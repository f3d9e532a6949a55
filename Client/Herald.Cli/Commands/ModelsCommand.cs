using System.CommandLine;
using Herald.Annotators.Onnx.Models;
using Herald.Cli.Training;
using Herald.Cli.Training.Entities;
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
        var encoder = new Option<string>("--encoder") { Description = $"the built-in encoder whose embeddings the heads read: the pipeline's ({BuiltInModels.MiniLm}, the default) or its int8 copy {BuiltInModels.MiniLmInt8}", DefaultValueFactory = _ => BuiltInModels.MiniLm };
        var heads = new Option<string>("--heads") { Description = "which heads: events (relevance, event-type), entities (entities, roles) or all", DefaultValueFactory = _ => "all" };
        heads.AcceptOnlyFromAmong("events", "entities", "all");
        var entityData = new Option<string>("--entity-data") { Description = "labelled entity examples (a folder of JSONL: text, event, entities, amount, title)", DefaultValueFactory = _ => "models/training/entities" };
        var entityLabels = new Option<string?>("--eval-entities") { Description = "the --eval documents' entity labels (JSONL: id, event, entities, amount, currency, value, title)" };
        var minimum = new Option<double>("--min-accuracy") { Description = "fail when event-type's held-out accuracy is lower", DefaultValueFactory = _ => 0.85 };
        var train = new Command("train", "train the relevance and event-type heads on MiniLM embeddings and export them to ONNX")
        {
            data, output, evaluation, evaluationLabels, encoder, minimum, heads, entityData, entityLabels,
        };
        train.SetAction(parse =>
        {
            var which = parse.GetValue(heads)!;
            var (output_, evaluation_, encoder_) = (parse.GetValue(output)!, parse.GetValue(evaluation), parse.GetValue(encoder)!);
            var events = which == "entities" ? 0 : Train(console, parse.GetValue(data)!, output_, evaluation_, parse.GetValue(evaluationLabels), encoder_, parse.GetValue(minimum));
            return events != 0 || which == "events" ? events : EntityTraining.Run(console, parse.GetValue(entityData)!, output_, evaluation_, parse.GetValue(entityLabels), encoder_);
        });
        return new Command("models", "train, quantize and describe Herald's models") { train, QuantizeCommand.Create(console) };
    }

    private static int Train(IAnsiConsole console, string data, string output, string? evaluation, string? evaluationLabels, string encoder, double minimum)
    {
        if (!BuiltInModels.IsBuiltIn(encoder))
        {
            console.MarkupLineInterpolated($"[red]error[/] --encoder {encoder} is not a built-in encoder ({BuiltInModels.MiniLm}, {BuiltInModels.MiniLmInt8})");
            return 2;
        }
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
            report = NewsHeads.Train(data, output, evaluation, evaluationLabels, encoder, message => console.MarkupLineInterpolated($"[grey]{message}[/]"));
        }
        catch (FormatException e)
        {
            console.MarkupLineInterpolated($"[red]error[/] {e.Message}");
            return 2;
        }
        File.WriteAllText(Path.Combine(output, ModelCard.FileName), ModelCard.Render(report, data));

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
