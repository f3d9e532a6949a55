using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Models;
using Herald.Pipelines;
using Herald.Tests.Pipelines;

namespace Herald.Tests.Onnx;

/// <summary>The onnx-classifier kind with the shipped heads over real MiniLM embeddings.</summary>
public sealed class ClassifierTests
{
    private static readonly string Models = Path.Combine(AppContext.BaseDirectory, "pipelines", "models");
    private static readonly Lazy<SentenceEncoder> Encoder = new(() =>
        new SentenceEncoder(BuiltInModels.MiniLmOnnx(), BuiltInModels.MiniLmVocabulary(), maxTokens: 256, intraOpThreads: 1));

    [Theory]
    [InlineData("Nimbus Freight bags $14 million Series A led by Harbor Gate Capital to expand its cold-chain fleet", "funding_round")]
    [InlineData("Orchid Semiconductors agrees to buy rival Paxton Micro for $2.1 billion in cash and stock", "acquisition")]
    [InlineData("Lumen Bank names former regulator Dana Whitfield as its next chief executive", "leadership_hire")]
    [InlineData("Shares of Corvel Retail slid after the chain cut its holiday sales forecast", "other")]
    public async Task Known_headlines_get_their_event_type_with_a_full_distribution(string headline, string expected)
    {
        var classifier = Create("event-type-2.onnx");

        var value = (await classifier.AnnotateAsync(WithEmbedding(headline), CancellationToken.None)).Value!;

        Assert.Equal(expected, (string)value["label"]!);
        var distribution = value["distribution"]!.AsObject();
        Assert.Equal(["funding_round", "acquisition", "leadership_hire", "other"], distribution.Select(p => p.Key));
        Assert.Equal(1.0, distribution.Sum(p => (double)p.Value!), 2);
        Assert.Equal((double)value["score"]!, distribution.Max(p => (double)p.Value!));
    }

    [Theory]
    [InlineData("Heavy snow is expected across the valley this weekend, forecasters said", "irrelevant")]
    [InlineData("Tessaline Robotics acquires warehouse-software maker Pickwise", "relevant")]
    public async Task Relevance_separates_business_news_from_the_rest(string text, string expected)
    {
        var value = (await Create("relevance-1.onnx").AnnotateAsync(WithEmbedding(text), CancellationToken.None)).Value!;
        Assert.Equal(expected, (string)value["label"]!);
    }

    [Fact]
    public void A_batch_scores_exactly_what_each_vector_scores_alone()
    {
        using var head = new ClassificationHead(Path.Combine(Models, "event-type-2.onnx"), null, null, 1, 8, TimeSpan.Zero);
        var vectors = Encoder.Value.Encode(["Acme raises $5M", "Globex buys Initech", "Hooli hires a new CFO", "Rain again tomorrow"]);

        var batched = head.Score(vectors);

        for (var i = 0; i < vectors.Length; i++)
            Assert.Equal(head.Score([vectors[i]])[0], batched[i], (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Bad_models_are_rejected_when_the_pipeline_loads_naming_the_annotator_and_file()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(folder, "garbage.onnx"), "this is not a model");
        File.WriteAllBytes(Path.Combine(folder, "encoder.onnx"), BuiltInModels.MiniLmOnnx());
        File.Copy(Path.Combine(Models, "event-type-2.onnx"), Path.Combine(folder, "head.onnx"));
        File.WriteAllLines(Path.Combine(folder, "three.txt"), ["a", "b", "c"]);
        var messages = PipelineLoading.LoadEachAnnotator(new AnnotatorKindCatalog([.. BuiltInKinds.All, .. ModelKinds.All]), """
            pipeline: heads
            annotators:
              - { name: missing, version: 1.0.0, kind: onnx-classifier, options: { model: missing.onnx } }
              - { name: garbage, version: 1.0.0, kind: onnx-classifier, options: { model: garbage.onnx } }
              - { name: encoder, version: 1.0.0, kind: onnx-classifier, options: { model: encoder.onnx } }
              - { name: labels, version: 1.0.0, kind: onnx-classifier, options: { model: head.onnx, labels: three.txt } }
              - { name: no-labels-file, version: 1.0.0, kind: onnx-classifier, options: { model: head.onnx, labels: nope.txt } }
              - { name: no-model, version: 1.0.0, kind: onnx-classifier }
            """, "heads.yaml", folder);

        Assert.Equal(6, messages.Count);
        Assert.Contains($"heads.yaml:3:70: annotator 'missing' (onnx-classifier): model file {Path.Combine(folder, "missing.onnx")} does not exist", messages);
        Assert.Contains(messages, m => m.StartsWith($"heads.yaml:4:70: annotator 'garbage' (onnx-classifier): model file {Path.Combine(folder, "garbage.onnx")} is not a readable ONNX model"));
        Assert.Contains($"heads.yaml:5:70: annotator 'encoder' (onnx-classifier): model file {Path.Combine(folder, "encoder.onnx")} must have one input (a feature vector or text), but has 3: input_ids, attention_mask, token_type_ids", messages);
        Assert.Contains($"heads.yaml:6:69: annotator 'labels' (onnx-classifier): model file {Path.Combine(folder, "head.onnx")} scores 4 labels per row but 3 labels are given (a, b, c)", messages);
        Assert.Contains($"heads.yaml:7:77: annotator 'no-labels-file' (onnx-classifier): labels file {Path.Combine(folder, "nope.txt")} does not exist", messages);
        Assert.Contains(messages, m => m.StartsWith("heads.yaml:8:5: annotator 'no-model' (onnx-classifier): option 'model' is required"));
    }

    private static IAnnotator Create(string model) =>
        OnnxClassifier.Kind.Create(new AnnotatorSpec("head", "1.0.0", "onnx-classifier", new JsonObject { ["model"] = model }, Models));

    private static AnnotatorInput WithEmbedding(string text)
    {
        var vector = Encoder.Value.Encode([text])[0];
        var embedding = new JsonObject { ["model"] = BuiltInModels.MiniLm, ["dimensions"] = vector.Length, ["vector"] = new JsonArray([.. vector.Select(v => (JsonNode)v)]) };
        var document = new AnnotatorDocument("doc", text, null, new JsonObject { ["id"] = "doc", ["text"] = text }.ToJsonString());
        return new AnnotatorInput(document, new Dictionary<string, DependencyResult> { ["embedding"] = new("1.0.0", embedding.ToJsonString(), null) });
    }
}
