using System.Text.Json.Nodes;
using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Models;
using Herald.Annotators.Onnx.Quantization;

namespace Herald.Tests.Onnx;

/// <summary>int8 MiniLM from <see cref="DynamicQuantizer"/>, run in ONNX Runtime beside the fp32 model it came from.</summary>
public sealed class QuantizationTests
{
    [Fact]
    public void Quantized_MiniLM_keeps_its_embeddings_and_is_a_quarter_of_the_weights()
    {
        var fp32 = BuiltInModels.MiniLmOnnx();
        var int8 = DynamicQuantizer.Quantize(fp32, out var summary);

        // Six layers, each with Q, K, V, the attention output and the two feed-forward matrices.
        Assert.Equal(36, summary.MatMuls);
        // The word-embedding table (47 MB) stays float: only the 42 MB of layer weights shrink.
        Assert.True(int8.Length < fp32.Length * 0.7, $"{int8.Length} bytes from {fp32.Length}");
        Assert.InRange(summary.Int8WeightBytes, summary.FloatWeightBytes / 4, summary.FloatWeightBytes / 4 * 1.02);

        using var reference = new SentenceEncoder(fp32, BuiltInModels.MiniLmVocabulary(), 256, 1);
        using var quantized = new SentenceEncoder(int8, BuiltInModels.MiniLmVocabulary(), 256, 1);
        string[] texts =
        [
            "Cinderline bags €3.5 million to expand its battery recycling plants",
            "Ironvale's board names Mara Lindqvist chief executive, succeeding Tomas Bredt",
            "The rowing club celebrated its 100th anniversary with a regatta on Sunday.",
        ];
        var expected = reference.Encode(texts);
        var actual = quantized.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var cosine = expected[i].Zip(actual[i], (a, b) => a * b).Sum();
            Assert.True(cosine >= 0.99, $"cosine {cosine:0.0000} for \"{texts[i]}\"");
            Assert.True(cosine < 0.99999, "the quantized model must differ from fp32 at all");
        }
    }

    /// <summary>
    /// The shipped heads (trained on fp32 embeddings) on int8 ones. Measured: 0.913 against 0.929, 4 of the 240 samples, which is
    /// outside the one point the default pipeline needs to switch to int8 (heads retrained on int8 embeddings: 0.917), so it
    /// still runs fp32; this holds the gap where it is.
    /// </summary>
    [Fact]
    public void The_shipped_heads_decide_the_samples_nearly_as_well_on_int8_embeddings_as_on_fp32()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples");
        var labels = File.ReadLines(Path.Combine(samples, "news.labels.jsonl")).Select(l => JsonNode.Parse(l)!).ToDictionary(n => (string)n["id"]!, n => (string)n["label"]!);
        var documents = File.ReadLines(Path.Combine(samples, "news.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var texts = documents.Select(d => $"{d["title"]}. {d["text"]}").ToList();
        var models = Path.Combine(AppContext.BaseDirectory, "pipelines", "models");
        using var relevance = new ClassificationHead(Path.Combine(models, "relevance-1.onnx"), null, null, 1, 1, TimeSpan.Zero);
        using var eventType = new ClassificationHead(Path.Combine(models, "event-type-2.onnx"), null, null, 1, 1, TimeSpan.Zero);

        double Accuracy(string model)
        {
            using var encoder = new SentenceEncoder(BuiltInModels.Onnx(model), BuiltInModels.MiniLmVocabulary(), 256, 2);
            var vectors = texts.Chunk(16).SelectMany(encoder.Encode).ToList();
            var correct = documents.Select((d, i) => Label(relevance, vectors[i]) == "relevant" ? Label(eventType, vectors[i]) : "other")
                .Where((predicted, i) => predicted == labels[(string)documents[i]["id"]!]).Count();
            return (double)correct / documents.Count;
        }

        var (fp32, int8) = (Accuracy(BuiltInModels.MiniLm), Accuracy(BuiltInModels.MiniLmInt8));
        Assert.True(int8 >= fp32 - 0.02 && int8 >= 0.9, $"event type on the samples: int8 {int8:0.000}, fp32 {fp32:0.000}");
    }

    private static string Label(ClassificationHead head, float[] vector)
    {
        var distribution = head.Score([vector])[0];
        return head.Labels[Array.IndexOf(distribution, distribution.Max())];
    }

    [Fact]
    public void Per_column_scales_map_each_columns_largest_weight_to_127()
    {
        float[] weights = [0.5f, -2f, 0f, -0.25f, 1f, 0f]; // rows of [0.5, -2, 0] and [-0.25, 1, 0]
        var (values, scales) = DynamicQuantizer.QuantizeColumns(weights, rows: 2, columns: 3);

        Assert.Equal(new sbyte[] { 127, -127, 0, -64, 64, 0 }, values);
        Assert.Equal([0.5f / 127, 2f / 127, 1f], scales);
    }
}
