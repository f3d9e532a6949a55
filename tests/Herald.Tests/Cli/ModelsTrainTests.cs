using System.Text.Json.Nodes;
using Herald.Cli.Training;

namespace Herald.Tests.Cli;

[Trait("Category", "process")]
public sealed class ModelsTrainTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "samples");

    [Fact]
    public void The_shipped_training_data_is_labelled_consistently_and_large_enough()
    {
        var examples = LabelledExample.Read(Path.Combine(AppContext.BaseDirectory, "models", "news-events.jsonl"));

        Assert.True(examples.Count >= 400, $"{examples.Count} examples");
        Assert.All(examples, e => Assert.Contains(e.Label, NewsHeads.EventTypeLabels));
        Assert.All(examples.Where(e => !e.Relevant), e => Assert.Equal("other", e.Label));
        Assert.Equal(examples.Count, examples.Select(e => e.Text.Trim().ToLowerInvariant()).Distinct().Count());
        foreach (var label in NewsHeads.EventTypeLabels)
            Assert.True(examples.Count(e => e.Label == label) >= 100, $"{label}: {examples.Count(e => e.Label == label)} examples");
        var heldOut = examples.Count(e => e.IsHeldOut);
        Assert.InRange(heldOut, examples.Count / 7, examples.Count / 4);
    }

    [Fact]
    public async Task Train_writes_onnx_heads_and_a_model_card_that_meet_the_accuracy_bar_on_unseen_wordings()
    {
        var output = Directory.CreateTempSubdirectory("herald-models-").FullName;

        var (exitCode, printed) = await HeraldCli.RunAsync("models", "train", "--heads", "events",
            "--data", Path.Combine(AppContext.BaseDirectory, "models", "news-events.jsonl"), "--out", output,
            "--eval", Path.Combine(Root, "news.jsonl"), "--eval-labels", Path.Combine(Root, "news.labels.jsonl"));

        Assert.Equal(0, exitCode);
        Assert.Matches(@"event-type held-out accuracy 0\.(8[5-9]|9)\d*", printed);
        Assert.True(File.Exists(Path.Combine(output, NewsHeads.RelevanceFile)));
        Assert.True(File.Exists(Path.Combine(output, NewsHeads.EventTypeFile)));
        var card = File.ReadAllText(Path.Combine(output, "MODEL_CARD.md"));
        Assert.Contains("| true \\ predicted | funding_round | acquisition | leadership_hire | other |", card);
        var pipeline = System.Text.RegularExpressions.Regex.Match(card, @"### The pipeline \(event-type only where relevance says relevant, else other\) on the evaluation set: accuracy (0\.\d+)");
        Assert.True(pipeline.Success && double.Parse(pipeline.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 0.85, card);

        // Deterministic: the same data gives the same bytes, so re-training never trips a deployed name@version's changed-file guard.
        var again = Directory.CreateTempSubdirectory("herald-models-").FullName;
        var (againExit, againPrinted) = await HeraldCli.RunAsync("models", "train", "--heads", "events",
            "--data", Path.Combine(AppContext.BaseDirectory, "models", "news-events.jsonl"), "--out", again);
        Assert.True(againExit == 0, againPrinted);
        foreach (var file in new[] { NewsHeads.RelevanceFile, NewsHeads.EventTypeFile })
            Assert.Equal(File.ReadAllBytes(Path.Combine(output, file)), File.ReadAllBytes(Path.Combine(again, file)));
    }

    [Fact]
    public async Task Bad_training_data_is_refused_with_the_line()
    {
        var data = Path.Combine(Directory.CreateTempSubdirectory().FullName, "bad.jsonl");
        File.WriteAllLines(data, [new JsonObject { ["text"] = "Acme raises $5M", ["relevant"] = true, ["label"] = "funding_round" }.ToJsonString(), "{not json"]);

        var (exitCode, printed) = await HeraldCli.RunAsync("models", "train", "--data", data, "--out", Path.GetTempPath());

        Assert.Equal(2, exitCode);
        Assert.Contains($"{data}:2: not valid JSON", printed);
    }
}
