using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Annotators.Onnx.Classification;
using Herald.Cli.Training;
using Herald.Pipelines;
using Herald.Tests.Pipelines;
using Microsoft.ML;
using Microsoft.ML.Transforms.Text;

namespace Herald.Tests.Onnx;

/// <summary>
/// onnx-classifier over a model that takes raw text: an ML.NET bag-of-words classifier this test trains on the shipped
/// examples and exports to ONNX (string input), as a data scientist's text model would arrive.
/// </summary>
public sealed class TextClassifierTests
{
    private static readonly Lazy<string> Folder = new(TrainTextModel);

    private sealed class Example
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class TextOnly
    {
        public string Text { get; set; } = "";
    }

    private sealed class LabelOnly
    {
        public string Label { get; set; } = "";
    }

    private static string TrainTextModel()
    {
        var ml = new MLContext(seed: 1);
        // ML.NET's exported lower-casing needs a locale this machine lacks: text is lower-cased before, in C# (option 'lowercase').
        var examples = LabelledExample.Read(Path.Combine(AppContext.BaseDirectory, "models", "news-events.jsonl"))
            .Select(e => new Example { Text = e.Text.ToLowerInvariant(), Label = e.Label }).ToList();
        var data = ml.Data.LoadFromEnumerable(examples);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(NewsHeads.EventTypeLabels.Select(l => new LabelOnly { Label = l })))
            .Fit(data).Transform(data);
        var featurize = new TextFeaturizingEstimator.Options { KeepDiacritics = true, KeepPunctuations = true, KeepNumbers = true, CaseMode = TextNormalizingEstimator.CaseMode.None };
        var model = ml.Transforms.Text.FeaturizeText("Features", featurize, "Text")
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new() { NumberOfThreads = 1, MaximumNumberOfIterations = 50 }))
            .Fit(keyed);

        var folder = Directory.CreateTempSubdirectory("herald-text-model-").FullName;
        using var onnx = new MemoryStream();
        ml.Model.ConvertToOnnx(model, ml.Data.LoadFromEnumerable(examples.Take(1).Select(e => new TextOnly { Text = e.Text })), onnx);
        File.WriteAllBytes(Path.Combine(folder, "text-event-type.onnx"), OnnxMetadata.Append(onnx.ToArray(), "labels", string.Join(',', NewsHeads.EventTypeLabels)));
        return folder;
    }

    [Theory]
    [InlineData("Vantor Labs raises $20 million Series B led by Quarry Capital", "funding_round")]
    [InlineData("Halbrook Foods agrees to acquire snack maker Tinsel Bites", "acquisition")]
    [InlineData("Coldwater Bank appoints Maria Ostrova as chief financial officer", "leadership_hire")]
    public async Task A_model_that_takes_text_classifies_the_document_itself(string headline, string expected)
    {
        var classifier = OnnxClassifier.Kind.Create(new AnnotatorSpec("event-type", "3.0.0", "onnx-classifier",
            new JsonObject { ["model"] = "text-event-type.onnx", ["input"] = "text", ["lowercase"] = true }, Folder.Value));

        var value = (await classifier.AnnotateAsync(Herald.Tests.Annotators.AnnotatorTestKit.Input(headline), CancellationToken.None)).Value!;

        Assert.Equal(expected, (string)value["label"]!);
        Assert.Equal(1.0, value["distribution"]!.AsObject().Sum(p => (double)p.Value!), 2);
    }

    [Fact]
    public void The_input_option_must_fit_what_the_model_takes()
    {
        var folder = Folder.Value;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "pipelines", "models", "event-type-2.onnx"), Path.Combine(folder, "head.onnx"), overwrite: true);
        var messages = PipelineLoading.LoadEachAnnotator(new AnnotatorKindCatalog([.. BuiltInKinds.All, .. ModelKinds.All]), """
            pipeline: inputs
            annotators:
              - { name: text-model, version: 1.0.0, kind: onnx-classifier, options: { model: text-event-type.onnx } }
              - { name: vector-model, version: 1.0.0, kind: onnx-classifier, options: { model: head.onnx, input: text } }
            """, "inputs.yaml", folder);

        Assert.Equal([
            $"inputs.yaml:3:73: annotator 'text-model' (onnx-classifier): model file {Path.Combine(folder, "text-event-type.onnx")} takes text: set option 'input' to 'text'",
            $"inputs.yaml:4:75: annotator 'vector-model' (onnx-classifier): model file {Path.Combine(folder, "head.onnx")} takes a feature vector: option 'input' must name the embedding dependency, not 'text'",
        ], messages);
    }
}
