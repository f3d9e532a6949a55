using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Annotators.Onnx.Models;
using Herald.Annotators.Onnx.Text;
using Herald.Annotators.Onnx.TokenClassification;
using Herald.Annotators.Rules;
using Herald.Pipelines;
using Herald.Tests.Pipelines;

namespace Herald.Tests.Onnx;

/// <summary>
/// The onnx-token-classifier kind over a model this test generates (<see cref="TinyOnnx"/>), laid out as a Hugging Face
/// export: model.onnx, vocab.txt (MiniLM's) and config.json with id2label.
/// </summary>
public sealed class TokenClassifierTests
{
    private static readonly string[] Labels = ["O", "B-ORG", "I-ORG", "B-PER", "I-PER"];
    private static readonly Lazy<string> Folder = new(WriteModel);

    private static string WriteModel()
    {
        var folder = Directory.CreateTempSubdirectory("herald-ner-").FullName;
        var vocabulary = BuiltInModels.MiniLmVocabulary();
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), vocabulary);
        var tokenizer = new BertTextTokenizer(vocabulary);
        var table = new float[vocabulary.Split('\n').Length, Labels.Length];
        for (var id = 0; id < table.GetLength(0); id++) table[id, 0] = 4; // O unless told otherwise

        // A word's first piece carries its label; later pieces say something else, which "first" aggregation ignores.
        void Label(string word, string first, string rest)
        {
            var pieces = tokenizer.EncodeWords(word, 64).Ids[1..^1];
            for (var p = 0; p < pieces.Length; p++)
            {
                var label = Array.IndexOf(Labels, p == 0 ? first : rest);
                table[pieces[p], 0] = 0;
                table[pieces[p], label] = 4;
            }
        }
        Label("Jane", "B-PER", "B-PER");
        Label("Doe", "I-PER", "I-PER");
        Label("Acme", "B-ORG", "B-ORG");
        Label("Robotics", "I-ORG", "I-ORG");
        Label("Zorblatt", "B-ORG", "B-PER");
        Label("Corp", "I-ORG", "I-ORG");
        Label("Ångström", "B-ORG", "O");
        Label("Analytics", "I-ORG", "I-ORG");

        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), TinyOnnx.TokenClassifier(table));
        File.WriteAllBytes(Path.Combine(folder, "with-metadata.onnx"), TinyOnnx.TokenClassifier(table, string.Join(',', Labels)));
        var id2label = new JsonObject();
        for (var i = 0; i < Labels.Length; i++) id2label[i.ToString()] = Labels[i];
        File.WriteAllText(Path.Combine(folder, "config.json"), new JsonObject { ["id2label"] = id2label }.ToJsonString());
        File.WriteAllLines(Path.Combine(folder, "three.txt"), Labels[..3]);
        return folder;
    }

    private static IAnnotator Create(JsonObject? options = null) => OnnxTokenClassifier.Kind.Create(new AnnotatorSpec("ner", "1.0.0", "onnx-token-classifier",
        options ?? new JsonObject { ["model"] = "model.onnx", ["vocabulary"] = "vocab.txt", ["labels"] = "config.json" }, Folder.Value));

    [Theory]
    [InlineData("🚀 Jane Doe left Acme Robotics; Zorblatt Corp hired her. Ångström Analytics too.",
        "PER:Jane Doe|ORG:Acme Robotics|ORG:Zorblatt Corp|ORG:Ångström Analytics")]
    [InlineData("Acme Acme", "ORG:Acme|ORG:Acme")] // B after B: two entities
    [InlineData("Robotics rules", "ORG:Robotics")] // I- after O starts an entity (IOB1 and sloppy models)
    [InlineData("Nothing here", "")]
    public async Task Word_pieces_are_decoded_into_entities_with_exact_offsets(string text, string expected)
    {
        var annotation = await Create().AnnotateAsync(AnnotatorTestInput(text), CancellationToken.None);

        var entities = annotation.Value!["entities"]!.AsArray().Select(e => e!).ToList();
        Assert.Equal(expected, string.Join('|', entities.Select(e => $"{e["label"]}:{e["text"]}")));
        foreach (var entity in entities)
        {
            Assert.Equal((string)entity["text"]!, text[(int)entity["start"]!..(int)entity["end"]!]);
            Assert.InRange((double)entity["score"]!, 0.9, 1.0);
        }
        Assert.Equal(entities.Select(e => ((int)e["start"]!, (string)e["label"]!)), annotation.Spans!.Select(s => (s.Start, s.Label)));
    }

    [Fact]
    public async Task Labels_can_come_from_the_model_metadata_and_the_output_feeds_signal_like_the_rules_kind()
    {
        const string text = "Acme Robotics has acquired Zorblatt Corp for $12 million.";
        var ner = Create(new JsonObject { ["model"] = "with-metadata.onnx", ["vocabulary"] = "vocab.txt" });
        var entities = await ner.AnnotateAsync(AnnotatorTestInput(text), CancellationToken.None);
        var dependencies = new Dictionary<string, DependencyResult>
        {
            ["event-type"] = new("2.0.0", new JsonObject { ["label"] = "acquisition", ["score"] = 0.9 }.ToJsonString(), null),
            ["entities"] = new("1.0.0", entities.Value!.ToJsonString(), null),
        };

        var signal = (await SignalAssembler.Kind.Create(new AnnotatorSpec("signal", "1.0.0", "signal", [], "/tmp"))
            .AnnotateAsync(new AnnotatorInput(AnnotatorTestInput(text).Document, dependencies), CancellationToken.None)).Value!;

        Assert.Equal(["Acme Robotics=acquirer", "Zorblatt Corp=target"], signal["companies"]!.AsArray().Select(c => $"{c!["name"]}={c["role"]}"));
    }

    [Fact]
    public void A_batch_recognises_exactly_what_each_text_gives_alone()
    {
        var model = new TokenClassificationModel(Path.Combine(Folder.Value, "model.onnx"), BuiltInModels.MiniLmVocabulary(),
            Path.Combine(Folder.Value, "config.json"), lowercase: true, maxTokens: 64, minScore: 0, threads: 1, batchSize: 4, batchWait: TimeSpan.Zero);
        string[] texts = ["Jane Doe", "A much longer text in which Acme Robotics appears late, after padding matters", "Zorblatt Corp"];

        var batched = model.Recognise(texts);

        for (var i = 0; i < texts.Length; i++) Assert.Equal(model.Recognise([texts[i]])[0], batched[i]);
        Assert.Single(batched[1]);
    }

    [Fact]
    public void Bad_models_are_rejected_when_the_pipeline_loads_naming_the_annotator_and_file()
    {
        var folder = Folder.Value;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "pipelines", "models", "event-type-2.onnx"), Path.Combine(folder, "head.onnx"), overwrite: true);
        var messages = PipelineLoading.LoadEachAnnotator(new AnnotatorKindCatalog([.. BuiltInKinds.All, .. ModelKinds.All]), """
            pipeline: ner
            annotators:
              - { name: head, version: 1.0.0, kind: onnx-token-classifier, options: { model: head.onnx, vocabulary: vocab.txt } }
              - { name: three, version: 1.0.0, kind: onnx-token-classifier, options: { model: model.onnx, vocabulary: vocab.txt, labels: three.txt } }
              - { name: unlabelled, version: 1.0.0, kind: onnx-token-classifier, options: { model: model.onnx, vocabulary: vocab.txt } }
              - { name: no-vocab, version: 1.0.0, kind: onnx-token-classifier, options: { model: model.onnx, labels: config.json } }
              - { name: entities, version: 1.0.0, kind: onnx-token-classifier, options: { model: model.onnx, vocabulary: vocab.txt, labels: config.json } }
            """, "ner.yaml", folder);

        Assert.Equal(4, messages.Count);
        Assert.Contains($"ner.yaml:3:73: annotator 'head' (onnx-token-classifier): model file {Path.Combine(folder, "head.onnx")} lacks input(s) input_ids, attention_mask of a token classifier (it has Features)", messages);
        Assert.Contains($"ner.yaml:4:74: annotator 'three' (onnx-token-classifier): model file {Path.Combine(folder, "model.onnx")} scores 5 labels per token but 3 labels are given (O, B-ORG, I-ORG)", messages);
        Assert.Contains($"ner.yaml:5:79: annotator 'unlabelled' (onnx-token-classifier): model file {Path.Combine(folder, "model.onnx")} has no 'labels' metadata: give option 'labels' (a labels file)", messages);
        Assert.Contains("ner.yaml:6:77: annotator 'no-vocab' (onnx-token-classifier): option 'vocabulary' is required", messages);
    }

    private static AnnotatorInput AnnotatorTestInput(string text) => Herald.Tests.Annotators.AnnotatorTestKit.Input(text);
}
