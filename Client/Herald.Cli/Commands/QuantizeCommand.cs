using System.CommandLine;
using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Models;
using Herald.Annotators.Onnx.Quantization;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald models quantize</c>: writes a dynamically quantized (int8 weights) copy of an ONNX encoder. For a sentence
/// encoder with its vocabulary it compares embeddings with the original's on real texts and, when the lowest cosine
/// is under the minimum, keeps in float the fewest MatMuls that restore it.
/// </summary>
internal static class QuantizeCommand
{
    private const int MaxFloatMatMuls = 6;

    public static Command Create(IAnsiConsole console)
    {
        var model = new Argument<string>("model") { Description = $"an .onnx file, or {BuiltInModels.MiniLm} (the shipped encoder)" };
        var output = new Option<string>("--out") { Description = "where to write the quantized .onnx", Required = true };
        var vocabulary = new Option<string?>("--vocabulary") { Description = "the model's vocab.txt, to compare embeddings (built in for the shipped encoder)" };
        var texts = new Option<string?>("--texts") { Description = "documents (JSONL with text, optional title) to compare embeddings on", DefaultValueFactory = _ => "samples/news.jsonl" };
        var minimum = new Option<double>("--min-cosine") { Description = "the lowest embedding cosine to the original's allowed on any text", DefaultValueFactory = _ => 0.99 };
        var keepFloat = new Option<string[]>("--keep-float") { Description = "MatMul nodes to leave in float (skips the search)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("quantize", "write an int8 copy of an ONNX encoder (dynamic quantization of its weight MatMuls)")
        {
            model, output, vocabulary, texts, minimum, keepFloat,
        };
        command.SetAction(parse => Run(console, parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(vocabulary), parse.GetValue(texts), parse.GetValue(minimum), parse.GetValue(keepFloat)));
        return command;
    }

    private static int Run(IAnsiConsole console, string model, string output, string? vocabularyPath, string? textsPath, double minimum, string[]? keepFloat)
    {
        var builtIn = model == BuiltInModels.MiniLm;
        if (!builtIn && !File.Exists(model))
        {
            console.MarkupLineInterpolated($"[red]error[/] model {model} does not exist (give an .onnx file or {BuiltInModels.MiniLm})");
            return 2;
        }
        if (vocabularyPath is not null && !File.Exists(vocabularyPath))
        {
            console.MarkupLineInterpolated($"[red]error[/] vocabulary {vocabularyPath} does not exist");
            return 2;
        }
        var original = builtIn ? BuiltInModels.MiniLmOnnx() : File.ReadAllBytes(model);
        IReadOnlyList<string> matMuls;
        try
        {
            matMuls = DynamicQuantizer.WeightMatMuls(original);
            DynamicQuantizer.Quantize(original, out var _); // a model the quantizer refuses fails here, before any search
        }
        catch (Exception e) when (e is FormatException or Google.Protobuf.InvalidProtocolBufferException)
        {
            console.MarkupLineInterpolated($"[red]error[/] {model}: {e.Message}");
            return 2;
        }
        if (matMuls.Count == 0)
        {
            console.MarkupLineInterpolated($"[red]error[/] {model} has no MatMul with constant float weights: nothing to quantize");
            return 2;
        }
        if (keepFloat?.FirstOrDefault(name => !matMuls.Contains(name)) is { } unknown)
        {
            console.MarkupLineInterpolated($"[red]error[/] --keep-float {unknown}: the model has no quantizable MatMul of that name ({matMuls[0]}, {matMuls[1]}, ...)");
            return 2;
        }

        var vocabulary = builtIn ? BuiltInModels.MiniLmVocabulary() : vocabularyPath is null ? null : File.ReadAllText(vocabularyPath).ReplaceLineEndings("\n");
        var documents = textsPath is not null && File.Exists(textsPath) ? Texts(textsPath) : null;
        Func<byte[], double>? lowestCosine = null;
        SentenceEncoder? reference = null;
        if (vocabulary is not null && documents is not null)
        {
            reference = new SentenceEncoder(original, vocabulary, 256, Environment.ProcessorCount);
            var expected = documents.Chunk(16).SelectMany(reference.Encode).ToList();
            lowestCosine = candidate =>
            {
                using var encoder = new SentenceEncoder(candidate, vocabulary, 256, Environment.ProcessorCount);
                return documents.Chunk(16).SelectMany(encoder.Encode).Zip(expected, Cosine).Min();
            };
        }
        using var referenceEncoder = reference;

        var keep = keepFloat is { Length: > 0 } ? keepFloat : (IReadOnlyList<string>)[];
        if (keepFloat is not { Length: > 0 } && lowestCosine is not null)
        {
            console.MarkupLineInterpolated($"[grey]searching for MatMuls to keep float on {documents!.Count} texts (minimum cosine {minimum:0.000})[/]");
            var found = SensitivitySearch.KeepFloat(original, lowestCosine, minimum, MaxFloatMatMuls, message => console.MarkupLineInterpolated($"[grey]  {message}[/]"));
            if (found is null)
            {
                console.MarkupLineInterpolated($"[red]error[/] even with {MaxFloatMatMuls} MatMuls kept float the lowest cosine stays under {minimum:0.000}: not written");
                return 1;
            }
            keep = found;
        }
        var quantized = DynamicQuantizer.Quantize(original, keep, out var summary);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllBytes(output, quantized);
        console.MarkupLineInterpolated($"quantized {summary.MatMuls} MatMuls: weights {Megabytes(summary.FloatWeightBytes)} -> {Megabytes(summary.Int8WeightBytes)}; file {Megabytes(original.Length)} -> {Megabytes(quantized.Length)}");
        console.MarkupLineInterpolated($"kept float: {(keep.Count == 0 ? "none" : string.Join(", ", keep))}");
        console.MarkupLineInterpolated($"wrote {output}");
        if (lowestCosine is null)
        {
            console.MarkupLine("[grey]embeddings not compared (needs --vocabulary for a model file, and --texts)[/]");
            return 0;
        }
        var lowest = lowestCosine(quantized);
        console.MarkupLineInterpolated($"embedding cosine to the original on {documents!.Count} texts of {textsPath}: lowest {lowest:0.0000}");
        if (lowest >= minimum) return 0;
        console.MarkupLineInterpolated($"[red]the lowest cosine {lowest:0.0000} is below {minimum:0.000}[/]");
        return 1;
    }

    private static List<string> Texts(string path) => [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!)
        .Select(d => AnnotatorDocument.JoinTitle((string?)d["title"], (string)d["text"]!))];

    private static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    private static string Megabytes(long bytes) => $"{bytes / 1e6:0.0} MB";
}
