namespace Herald.Annotators.Onnx.Quantization;

/// <summary>
/// Finds the fewest MatMuls to leave in float for a quantized model to keep its quality: each weight MatMul is
/// quantized alone and scored, and the most damaging ones are kept float, worst first, until the whole model scores
/// at least the minimum. (In MiniLM one matrix, the first layer's feed-forward output, carries most of the loss.)
/// </summary>
internal static class SensitivitySearch
{
    /// <param name="score">The quality of a candidate model, higher is better (for an encoder: the lowest embedding cosine to the original).</param>
    /// <returns>The MatMuls to keep float (empty when full quantization already holds), or null when <paramref name="maxFloat"/> are not enough.</returns>
    public static IReadOnlyList<string>? KeepFloat(byte[] model, Func<byte[], double> score, double minimum, int maxFloat, Action<string>? progress = null)
    {
        var full = score(DynamicQuantizer.Quantize(model, out _));
        progress?.Invoke($"all MatMuls quantized: {full:0.0000}");
        if (full >= minimum) return [];
        var matMuls = DynamicQuantizer.WeightMatMuls(model);
        var alone = matMuls.Select(m => (MatMul: m, Score: score(DynamicQuantizer.Quantize(model, [.. matMuls.Where(other => other != m)], out _))))
            .OrderBy(m => m.Score).ToList();
        var keep = new List<string>();
        foreach (var (matMul, aloneScore) in alone.Take(maxFloat))
        {
            keep.Add(matMul);
            var candidate = score(DynamicQuantizer.Quantize(model, keep, out _));
            progress?.Invoke($"{string.Join(", ", keep)} kept float ({matMul} quantized alone: {aloneScore:0.0000}): {candidate:0.0000}");
            if (candidate >= minimum) return keep;
        }
        return null;
    }
}
