using Google.Protobuf;
using Onnx;

namespace Herald.Annotators.Onnx.Quantization;

/// <summary>What <see cref="DynamicQuantizer"/> changed: weight MatMuls rewritten, and the weight bytes before and after.</summary>
internal sealed record QuantizationSummary(int MatMuls, long FloatWeightBytes, long Int8WeightBytes);

/// <summary>
/// Dynamic int8 quantization of an ONNX model: every MatMul whose second input is a constant float matrix [K, N] gets
/// int8 weights with one symmetric scale per output column, and its activations are quantized at run time
/// (DynamicQuantizeLinear → MatMulInteger → Cast → Mul, the pattern ONNX Runtime fuses into one integer kernel that
/// uses AVX-512 VNNI here). Everything else (embeddings, layer norms, attention scores) stays float.
/// </summary>
internal static class DynamicQuantizer
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Int8 = (int)TensorProto.Types.DataType.Int8;
    private const int MinimumOpset = 11; // DynamicQuantizeLinear

    /// <param name="keepFloat">MatMul nodes (by <see cref="NodeId"/>) left in float: the few whose quantization costs most accuracy.</param>
    public static byte[] Quantize(byte[] model, IReadOnlyCollection<string> keepFloat, out QuantizationSummary summary) =>
        Quantize(model, node => !keepFloat.Contains(NodeId(node)), out summary);

    public static byte[] Quantize(byte[] model, out QuantizationSummary summary) => Quantize(model, _ => true, out summary);

    /// <summary>The quantizable MatMuls (constant float weights) in graph order, by <see cref="NodeId"/>.</summary>
    public static IReadOnlyList<string> WeightMatMuls(byte[] model)
    {
        var graph = ModelProto.Parser.ParseFrom(model).Graph;
        var weights = graph.Initializer.Where(i => i.DataType == Float && i.Dims.Count == 2).Select(i => i.Name).ToHashSet();
        return [.. graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2 && weights.Contains(n.Input[1])).Select(NodeId)];
    }

    /// <summary>A node's name, or its first output's when it has none (names are optional in ONNX; outputs are unique).</summary>
    public static string NodeId(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output[0];

    private static byte[] Quantize(byte[] model, Func<NodeProto, bool> include, out QuantizationSummary summary)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var opset = proto.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
        if (opset < MinimumOpset)
            throw new FormatException($"the model imports ONNX opset {opset}; dynamic quantization needs opset {MinimumOpset} or newer");
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var quantizedInputs = new Dictionary<string, (string Value, string Scale, string ZeroPoint)>();
        var nodes = new List<NodeProto>();
        var replaced = new HashSet<string>();
        int matMuls = 0;
        long floatBytes = 0, int8Bytes = 0;

        foreach (var node in graph.Node)
        {
            if (node.OpType != "MatMul" || node.Domain is not ("" or "ai.onnx") || !include(node)
                || !initializers.TryGetValue(node.Input[1], out var weight) || weight.DataType != Float || weight.Dims.Count != 2)
            {
                nodes.Add(node);
                continue;
            }
            var output = node.Output[0];
            var activation = node.Input[0];
            if (!quantizedInputs.TryGetValue(activation, out var quantized))
            {
                // One quantization of an activation however many weight matrices read it (attention's Q, K and V).
                quantized = quantizedInputs[activation] = ($"{activation}_quantized", $"{activation}_scale", $"{activation}_zero_point");
                nodes.Add(Node("DynamicQuantizeLinear", [activation], [quantized.Value, quantized.Scale, quantized.ZeroPoint]));
            }
            var (values, scales) = QuantizeColumns(FloatsOf(weight), (int)weight.Dims[0], (int)weight.Dims[1]);
            var weightName = weight.Name;
            if (replaced.Add(weightName))
            {
                graph.Initializer.Add(Tensor($"{weightName}_quantized", Int8, weight.Dims, ByteString.CopyFrom((byte[])(Array)values)));
                graph.Initializer.Add(Tensor($"{weightName}_scale", Float, [scales.Length], ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(scales.AsSpan()))));
                graph.Initializer.Add(Tensor($"{weightName}_zero_point", Int8, [scales.Length], ByteString.CopyFrom(new byte[scales.Length])));
                floatBytes += values.LongLength * sizeof(float);
                int8Bytes += values.LongLength + scales.LongLength * (sizeof(float) + 1);
            }
            nodes.Add(Node("MatMulInteger", [quantized.Value, $"{weightName}_quantized", quantized.ZeroPoint, $"{weightName}_zero_point"], [$"{output}_int32"]));
            var cast = Node("Cast", [$"{output}_int32"], [$"{output}_unscaled"]);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = Float });
            nodes.Add(cast);
            nodes.Add(Node("Mul", [quantized.Scale, $"{weightName}_scale"], [$"{output}_rescale"]));
            nodes.Add(Node("Mul", [$"{output}_unscaled", $"{output}_rescale"], [output]));
            matMuls++;
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        // A float weight that nothing reads any more leaves the file (it is most of its size).
        var stillRead = nodes.SelectMany(n => n.Input).ToHashSet();
        foreach (var name in replaced.Where(n => !stillRead.Contains(n)))
        {
            graph.Initializer.Remove(initializers[name]);
            var input = graph.Input.FirstOrDefault(i => i.Name == name);
            if (input is not null) graph.Input.Remove(input);
        }
        summary = new QuantizationSummary(matMuls, floatBytes, int8Bytes);
        return proto.ToByteArray();
    }

    /// <summary>Symmetric int8 per output column: the column's largest magnitude maps to 127, zero stays zero.</summary>
    internal static (sbyte[] Values, float[] Scales) QuantizeColumns(float[] weights, int rows, int columns)
    {
        var scales = new float[columns];
        for (var k = 0; k < rows; k++)
            for (var n = 0; n < columns; n++)
                scales[n] = Math.Max(scales[n], Math.Abs(weights[k * columns + n]));
        for (var n = 0; n < columns; n++) scales[n] = scales[n] > 0 ? scales[n] / 127f : 1f;
        var values = new sbyte[weights.Length];
        for (var k = 0; k < rows; k++)
            for (var n = 0; n < columns; n++)
                values[k * columns + n] = (sbyte)Math.Clamp(MathF.Round(weights[k * columns + n] / scales[n]), -127, 127);
        return (values, scales);
    }

    private static float[] FloatsOf(TensorProto tensor)
    {
        if (tensor.FloatData.Count > 0) return [.. tensor.FloatData];
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new FormatException($"weight {tensor.Name} is stored outside the model file; quantize a model with its weights inside");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = $"{outputs[0]}_{op}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static TensorProto Tensor(string name, int type, IEnumerable<long> dims, ByteString raw)
    {
        var tensor = new TensorProto { Name = name, DataType = type, RawData = raw };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
