using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Herald.Annotators.Onnx.Serving;

/// <summary>The standard inputs of a BERT-style model for a batch, padded to its longest row.</summary>
internal static class BertInputs
{
    /// <summary>input_ids and attention_mask int64 [batch, longest] (and zero token_type_ids when the model has them).</summary>
    public static List<NamedOnnxValue> Create(IReadOnlyList<int[]> rows, int paddingId, bool withTokenTypes)
    {
        var shape = new[] { rows.Count, rows.Max(ids => ids.Length) };
        var (ids, mask) = (new DenseTensor<long>(shape), new DenseTensor<long>(shape));
        for (var row = 0; row < rows.Count; row++)
        {
            for (var column = 0; column < shape[1]; column++)
            {
                var present = column < rows[row].Length;
                ids[row, column] = present ? rows[row][column] : paddingId;
                mask[row, column] = present ? 1 : 0;
            }
        }
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input_ids", ids), NamedOnnxValue.CreateFromTensor("attention_mask", mask) };
        if (withTokenTypes) inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(shape)));
        return inputs;
    }
}
