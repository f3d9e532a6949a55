using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Models;

namespace Herald.Tests.Cli;

/// <summary><c>herald models quantize</c> as a user runs it: the shipped encoder, then a model file.</summary>
[Trait("Category", "process")]
public sealed class ModelsQuantizeTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples", "news.jsonl");

    [Fact]
    public async Task Quantize_writes_an_int8_encoder_whose_embeddings_hold_on_the_samples()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("herald-quantize-").FullName, "minilm-int8.onnx");

        var (exitCode, printed) = await HeraldCli.RunAsync(["models", "quantize", BuiltInModels.MiniLm, "--out", output, "--texts", Samples,
            "--keep-float", .. BuiltInModels.MiniLmInt8KeepFloat]);

        Assert.True(exitCode == 0, printed);
        Assert.Contains("quantized 35 MatMuls", printed);
        Assert.Contains("kept float: MatMul_122", printed);
        Assert.Matches(@"embedding cosine to the original on 240 texts of .*: lowest 0\.99\d\d", printed);
        // The file written is a working encoder, and the one the silo builds for all-MiniLM-L6-v2-int8.
        Assert.Equal(BuiltInModels.Onnx(BuiltInModels.MiniLmInt8), await File.ReadAllBytesAsync(output));
        using var encoder = new SentenceEncoder(await File.ReadAllBytesAsync(output), BuiltInModels.MiniLmVocabulary(), 256, 1);
        Assert.Equal(384, encoder.Encode(["Cinderline bags €3.5 million"])[0].Length);
        // Quantized again, only the MatMul kept float is left; embeddings are not compared without a vocabulary.
        var (again, message) = await HeraldCli.RunAsync("models", "quantize", output, "--out", output + ".2");
        Assert.True(again == 0, message);
        Assert.Contains("quantized 1 MatMuls", message);
        Assert.Contains("embeddings not compared", message);
    }

    [Fact]
    public async Task Quantize_keeps_in_float_the_fewest_MatMuls_that_hold_the_minimum_cosine()
    {
        var folder = Directory.CreateTempSubdirectory("herald-quantize-").FullName;
        var texts = Path.Combine(folder, "texts.jsonl");
        await File.WriteAllLinesAsync(texts, File.ReadLines(Samples).Take(12));
        var vocabulary = Path.Combine(folder, "vocab.txt");
        await File.WriteAllTextAsync(vocabulary, BuiltInModels.MiniLmVocabulary());
        var fp32 = Path.Combine(folder, "minilm.onnx");
        await File.WriteAllBytesAsync(fp32, BuiltInModels.MiniLmOnnx());

        // A model file with its vocabulary, as a user's own encoder would be given; full quantization scores 0.9918 here.
        var (exitCode, printed) = await HeraldCli.RunAsync("models", "quantize", fp32, "--vocabulary", vocabulary, "--texts", texts,
            "--min-cosine", "0.992", "--out", Path.Combine(folder, "int8.onnx"));

        Assert.True(exitCode == 0, printed);
        Assert.Contains("all MatMuls quantized: 0.99", printed);
        Assert.Contains("kept float: MatMul_122", printed); // the first layer's feed-forward output, as for the shipped int8 model
        Assert.Matches(@"lowest 0\.99[2-9]\d", printed);
    }

    [Fact]
    public async Task Quantize_refuses_a_missing_model_and_a_file_that_is_not_ONNX()
    {
        var (missing, printed) = await HeraldCli.RunAsync("models", "quantize", "no-such.onnx", "--out", Path.GetTempFileName());
        Assert.Equal(2, missing);
        Assert.Contains("model no-such.onnx does not exist", printed);

        var notOnnx = Path.GetTempFileName();
        await File.WriteAllTextAsync(notOnnx, "pipeline: news\n");
        var (invalid, message) = await HeraldCli.RunAsync("models", "quantize", notOnnx, "--out", notOnnx + ".int8");
        Assert.Equal(2, invalid);
        Assert.Contains(notOnnx, message);
    }
}
