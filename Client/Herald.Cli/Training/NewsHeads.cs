using System.Text.Json.Nodes;
using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Models;

namespace Herald.Cli.Training;

/// <summary>What one training run measured, for the model card and the command's exit code.</summary>
public sealed record TrainingReport(
    string Encoder, int TrainCount, int HeldOutCount, IReadOnlyDictionary<string, int> LabelCounts,
    Confusion RelevanceHeldOut, Confusion EventTypeHeldOut, Confusion? EventTypeOnEvaluation, Confusion? PipelineOnEvaluation, string? EvaluationSet);

/// <summary>
/// Trains the default news pipeline's heads on MiniLM embeddings: <c>relevance</c> (relevant, irrelevant) and
/// <c>event-type</c> (funding_round, acquisition, leadership_hire, other), writes them as ONNX with their labels,
/// and measures the written files, as served, on the held-out fifth and on an optional evaluation set of documents.
/// </summary>
public static class NewsHeads
{
    public static readonly string[] RelevanceLabels = ["relevant", "irrelevant"];
    public static readonly string[] EventTypeLabels = ["funding_round", "acquisition", "leadership_hire", "other"];
    public const string RelevanceFile = "relevance-1.onnx";
    public const string EventTypeFile = "event-type-2.onnx";

    public static TrainingReport Train(string dataPath, string outputDirectory, string? evaluationDocuments, string? evaluationLabels, string encoderModel, Action<string> progress)
    {
        var examples = LabelledExamples(dataPath);
        progress($"embedding {examples.Count} examples with {encoderModel}");
        using var encoder = new SentenceEncoder(BuiltInModels.Onnx(encoderModel), BuiltInModels.MiniLmVocabulary(), maxTokens: 256, intraOpThreads: Environment.ProcessorCount);
        var vectors = Embed(encoder, [.. examples.Select(e => e.Text)]);
        var train = examples.Select((e, i) => (Example: e, Vector: vectors[i])).Where(x => !x.Example.IsHeldOut).ToList();
        var heldOut = examples.Select((e, i) => (Example: e, Vector: vectors[i])).Where(x => x.Example.IsHeldOut).ToList();

        Directory.CreateDirectory(outputDirectory);
        var trainer = new HeadTrainer(encoder.Dimensions);
        progress($"training relevance and event-type on {train.Count} examples ({heldOut.Count} held out)");
        var relevancePath = Path.Combine(outputDirectory, RelevanceFile);
        var eventTypePath = Path.Combine(outputDirectory, EventTypeFile);
        File.WriteAllBytes(relevancePath, trainer.Train([.. train.Select(x => (x.Vector, Relevance(x.Example)))], RelevanceLabels));
        File.WriteAllBytes(eventTypePath, trainer.Train([.. train.Select(x => (x.Vector, x.Example.Label))], EventTypeLabels));

        // Measure the files as the onnx-classifier kind serves them, not the in-memory ML.NET models.
        using var relevance = new ClassificationHead(relevancePath, null, null, 1, 1, TimeSpan.Zero);
        using var eventType = new ClassificationHead(eventTypePath, null, null, 1, 1, TimeSpan.Zero);
        var relevanceHeldOut = new Confusion(RelevanceLabels);
        var eventTypeHeldOut = new Confusion(EventTypeLabels);
        foreach (var (example, vector) in heldOut)
        {
            relevanceHeldOut.Add(Relevance(example), Predict(relevance, vector));
            eventTypeHeldOut.Add(example.Label, Predict(eventType, vector));
        }

        Confusion? eventTypeOnEvaluation = null, pipelineOnEvaluation = null;
        if (evaluationDocuments is not null && evaluationLabels is not null)
        {
            progress($"evaluating on {evaluationDocuments}");
            (eventTypeOnEvaluation, pipelineOnEvaluation) = Evaluate(encoder, relevance, eventType, evaluationDocuments, evaluationLabels);
        }
        var counts = examples.GroupBy(e => e.Relevant || e.Label != "other" ? e.Label : "other (irrelevant)").ToDictionary(g => g.Key, g => g.Count());
        return new TrainingReport(encoderModel, train.Count, heldOut.Count, counts, relevanceHeldOut, eventTypeHeldOut, eventTypeOnEvaluation, pipelineOnEvaluation, evaluationDocuments);
    }

    /// <summary>Documents as the pipeline sees them ("title. text"), scored by event-type alone and gated by relevance as in the pipeline.</summary>
    private static (Confusion Head, Confusion Pipeline) Evaluate(SentenceEncoder encoder, ClassificationHead relevance, ClassificationHead eventType, string documentsPath, string labelsPath)
    {
        var expected = File.ReadLines(labelsPath).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!)
            .ToDictionary(n => (string)n["id"]!, n => (string)n["label"]!);
        var documents = File.ReadLines(documentsPath).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!).ToList();
        var texts = documents.Select(d => Herald.Annotators.AnnotatorDocument.JoinTitle((string?)d["title"], (string)d["text"]!)).ToArray();
        var vectors = Embed(encoder, texts);
        var (head, pipeline) = (new Confusion(EventTypeLabels), new Confusion(EventTypeLabels));
        for (var i = 0; i < documents.Count; i++)
        {
            var truth = expected[(string)documents[i]["id"]!];
            var predicted = Predict(eventType, vectors[i]);
            head.Add(truth, predicted);
            pipeline.Add(truth, Predict(relevance, vectors[i]) == "relevant" ? predicted : "other");
        }
        return (head, pipeline);
    }

    private static IReadOnlyList<LabelledExample> LabelledExamples(string path)
    {
        var examples = Training.LabelledExample.Read(path);
        var unknown = examples.Select(e => e.Label).Distinct().Except(EventTypeLabels).ToList();
        if (unknown.Count > 0) throw new FormatException($"{path}: unknown label(s) {string.Join(", ", unknown)}; expected {string.Join(", ", EventTypeLabels)}");
        return examples;
    }

    private static string Relevance(LabelledExample example) => example.Relevant ? "relevant" : "irrelevant";

    private static string Predict(ClassificationHead head, float[] vector)
    {
        var distribution = head.Score([vector])[0];
        return head.Labels[Array.IndexOf(distribution, distribution.Max())];
    }

    private static float[][] Embed(SentenceEncoder encoder, string[] texts) =>
        [.. texts.Chunk(32).SelectMany(encoder.Encode)];
}
