using Herald.Annotators.Onnx.Heads;
using Herald.Cli.Training.Entities;

namespace Herald.Tests.Cli;

/// <summary>The entity and role heads' data, and <c>herald models train --heads entities</c> measured on text nobody trained on.</summary>
[Trait("Category", "process")]
public sealed class ModelsTrainEntitiesTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "models", "entities");
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    [Fact]
    public void The_training_data_is_large_varied_and_every_label_lands_on_its_text()
    {
        var examples = EntityExample.ReadTraining(Data); // throws, with file and line, on any label not in its text

        Assert.True(examples.Count >= 2000, $"{examples.Count} examples");
        Assert.Equal(examples.Count, examples.Select(e => e.Text).Distinct().Count());
        var mentions = examples.SelectMany(e => e.Mentions).ToList();
        Assert.True(mentions.Count(m => m.Label == "ORG") >= 3000 && mentions.Count(m => m.Label == "PER") >= 1000);
        foreach (var role in SignalRoles.Labels.Take(9)) Assert.True(mentions.Count(m => m.Role == role) >= 100, $"{role}: {mentions.Count(m => m.Role == role)}");
        foreach (var type in SpanFeatures.EventTypes) Assert.True(examples.Count(e => e.Event == type) >= 250, type);
        Assert.True(examples.Count(e => e.Amount is not null) >= 500 && examples.Count(e => e.JobTitle is not null) >= 300);
        Assert.InRange(examples.Count(e => e.IsHeldOut), examples.Count / 8, examples.Count / 5);
        // Shapes the issue names: headlines and tweets, long paragraphs, passive voice, legal forms, spelled-out amounts.
        Assert.Contains(examples, e => e.Text.Contains('#') || e.Text.Contains('@'));
        Assert.Contains(examples, e => e.Text.Split(' ').Length > 60);
        Assert.Contains(examples, e => e.Text.Contains(" was acquired by "));
        Assert.Contains(examples, e => e.Text.Contains(" GmbH") && e.Text.Contains("AG"));
        Assert.Contains(examples, e => e.Text.Contains("million dollars"));

        var samples = EntityExample.ReadSamples(Path.Combine(Samples, "news.jsonl"), Path.Combine(Samples, "news.entities.jsonl"));
        Assert.Equal(240, samples.Count);
        Assert.All(samples.Where(s => s.Amount is not null), s => Assert.True(s.Amount!.Value > 0 && s.Amount.Currency is { Length: 3 }, s.Id));
        // Held out in the full sense: no sample text is in the training data.
        Assert.Empty(samples.Select(s => s.Text).Intersect(examples.Select(e => e.Text)));
    }

    [Fact]
    public async Task Train_writes_heads_whose_entities_meet_the_goals_on_the_sample_news()
    {
        var output = Directory.CreateTempSubdirectory("herald-entities-").FullName;

        var (exitCode, printed) = await HeraldCli.RunAsync("models", "train", "--heads", "entities", "--entity-data", Data, "--out", output,
            "--eval", Path.Combine(Samples, "news.jsonl"), "--eval-entities", Path.Combine(Samples, "news.entities.jsonl"));

        Assert.True(exitCode == 0, printed);
        var f1 = System.Text.RegularExpressions.Regex.Matches(printed, @"news\.jsonl (ORG|PER) +precision (\S+) recall (\S+) F1 (\S+)")
            .ToDictionary(m => m.Groups[1].Value, m => (Recall: double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture),
                F1: double.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(f1["ORG"].F1 >= 0.90 && f1["PER"].F1 >= 0.90, printed);
        Assert.True(f1["ORG"].Recall >= 0.95, printed);
        // Whole signals (every party in its role, the amount and currency, the title, all at once) on the deal and hire samples:
        // the issue's goal, 0.80 (130 of 160, 0.813, when written).
        var signals = System.Text.RegularExpressions.Regex.Match(printed, @"news\.jsonl signals right in every part (\S+)");
        Assert.True(double.Parse(signals.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 0.80, printed);
        Assert.True(File.Exists(Path.Combine(output, EntityHeads.EntitiesFile)) && File.Exists(Path.Combine(output, EntityHeads.RolesFile)));
        var card = await File.ReadAllTextAsync(Path.Combine(output, EntityModelCard.FileName));
        Assert.Contains("| label | precision | recall | F1 | found / labelled |", card);
        Assert.Contains("### Signals the heads get wrong on the samples", card);
    }
}
