using Spectre.Console;

namespace Herald.Cli.Training.Entities;

/// <summary>The entity half of <c>herald models train</c>: train, write the heads and their model card, print the scores.</summary>
internal static class EntityTraining
{
    public static int Run(IAnsiConsole console, string data, string output, string? samples, string? sampleLabels, string encoder)
    {
        if (!File.Exists(data) && !Directory.Exists(data))
        {
            console.MarkupLineInterpolated($"[red]error[/] entity training data {data} does not exist");
            return 2;
        }
        if (sampleLabels is not null && samples is null)
        {
            console.MarkupLine("[red]error[/] --eval-entities needs --eval (the documents they label)");
            return 2;
        }
        EntityReport report;
        try
        {
            report = EntityHeads.Train(data, output, encoder, sampleLabels is null ? null : samples, sampleLabels, message => console.MarkupLineInterpolated($"[grey]{message}[/]"));
        }
        catch (FormatException e)
        {
            console.MarkupLineInterpolated($"[red]error[/] {e.Message}");
            return 2;
        }
        File.WriteAllText(Path.Combine(output, EntityModelCard.FileName), EntityModelCard.Render(report, data));
        Print(console, "held-out", report.HeldOut);
        if (report.Samples is { } onSamples) Print(console, report.SamplesPath!, onSamples);
        console.MarkupLineInterpolated($"wrote {Path.Combine(output, EntityHeads.EntitiesFile)}, {Path.Combine(output, EntityHeads.RolesFile)} and {EntityModelCard.FileName}");
        return 0;
    }

    private static void Print(IAnsiConsole console, string set, EntityEvaluation.Result result)
    {
        foreach (var score in result.Entities)
            console.MarkupLineInterpolated($"{set} {score.Label,-5} precision {score.Precision:0.000} recall {score.Recall:0.000} F1 {score.F1:0.000}");
        console.MarkupLineInterpolated($"{set} roles of labelled mentions {(double)result.RolesCorrect / Math.Max(1, result.RolesTotal):0.000} ({result.RolesCorrect}/{result.RolesTotal})");
        console.MarkupLineInterpolated($"{set} signals right in every part {(double)result.SignalsRight / Math.Max(1, result.SignalsTotal):0.000} ({result.SignalsRight}/{result.SignalsTotal})");
    }
}
