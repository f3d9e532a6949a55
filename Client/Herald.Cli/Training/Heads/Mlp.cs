using System.Numerics.Tensors;
using Google.Protobuf;
using Onnx;

namespace Herald.Cli.Training.Heads;

/// <summary>
/// A one-hidden-layer perceptron (ReLU, softmax), small enough to train here in seconds per epoch and to serve as an
/// ONNX head: inputs are standardised with the training set's statistics, folded into the first layer when exported.
/// </summary>
internal sealed class Mlp
{
    private readonly int _inputs, _hidden, _classes;
    private readonly float[] _w1, _b1, _w2, _b2; // _w1 [hidden, inputs], _w2 [classes, hidden], row-major
    private readonly float[] _mean, _scale;

    private Mlp(int inputs, int hidden, int classes, float[] mean, float[] scale, Random random)
    {
        (_inputs, _hidden, _classes, _mean, _scale) = (inputs, hidden, classes, mean, scale);
        _w1 = Initial(hidden * inputs, MathF.Sqrt(2f / inputs), random);
        _w2 = Initial(classes * hidden, MathF.Sqrt(1f / hidden), random);
        (_b1, _b2) = (new float[hidden], new float[classes]);
    }

    /// <summary>AdamW over shuffled minibatches; classes weighted by <paramref name="classWeights"/> when given.</summary>
    public static Mlp Train(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, int classes, int hidden, int epochs, int seed,
        float[]? classWeights = null, Action<string>? progress = null)
    {
        var inputs = features[0].Length;
        var (mean, scale) = Statistics(features, inputs);
        var random = new Random(seed);
        var mlp = new Mlp(inputs, hidden, classes, mean, scale, random);
        var standardised = features.Select(mlp.Standardise).ToArray();
        var adam = new[] { mlp._w1, mlp._b1, mlp._w2, mlp._b2 }.Select(p => new Adam(p.Length)).ToArray();
        var gradients = new[] { mlp._w1, mlp._b1, mlp._w2, mlp._b2 }.Select(p => new float[p.Length]).ToArray();
        var order = Enumerable.Range(0, features.Count).ToArray();
        const int batch = 32;
        var (h, p, dh) = (new float[hidden], new float[classes], new float[hidden]);
        var step = 0;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            double loss = 0;
            var rate = 1e-3f * (epoch < epochs - 2 ? 1f : 0.3f); // a cooler last two epochs
            for (var start = 0; start < order.Length; start += batch)
            {
                foreach (var g in gradients) Array.Clear(g);
                var end = Math.Min(order.Length, start + batch);
                for (var i = start; i < end; i++)
                {
                    var (x, y) = (standardised[order[i]], labels[order[i]]);
                    mlp.Forward(x, h, p);
                    var weight = classWeights?[y] ?? 1f;
                    loss -= weight * Math.Log(Math.Max(p[y], 1e-9f));
                    p[y] -= 1; // dLoss/dLogits = p - onehot
                    TensorPrimitives.Multiply(p, weight, p);
                    Array.Clear(dh);
                    for (var c = 0; c < classes; c++)
                    {
                        TensorPrimitives.MultiplyAdd(h, p[c], gradients[2].AsSpan(c * hidden, hidden), gradients[2].AsSpan(c * hidden, hidden));
                        gradients[3][c] += p[c];
                        TensorPrimitives.MultiplyAdd(mlp._w2.AsSpan(c * hidden, hidden), p[c], dh, dh);
                    }
                    for (var j = 0; j < hidden; j++)
                    {
                        if (h[j] <= 0) continue;
                        TensorPrimitives.MultiplyAdd(x, dh[j], gradients[0].AsSpan(j * inputs, inputs), gradients[0].AsSpan(j * inputs, inputs));
                        gradients[1][j] += dh[j];
                    }
                }
                step++;
                var parameters = new[] { mlp._w1, mlp._b1, mlp._w2, mlp._b2 };
                for (var k = 0; k < parameters.Length; k++)
                    adam[k].Update(parameters[k], gradients[k], 1f / (end - start), rate, step, decay: k % 2 == 0 ? 1e-4f : 0f);
            }
            progress?.Invoke($"epoch {epoch + 1}/{epochs}: loss {loss / order.Length:0.0000}");
        }
        return mlp;
    }

    public float[] Predict(float[] features)
    {
        var (h, p) = (new float[_hidden], new float[_classes]);
        Forward(Standardise(features), h, p);
        return p;
    }

    private void Forward(float[] x, float[] h, float[] p)
    {
        for (var j = 0; j < _hidden; j++) h[j] = MathF.Max(0, TensorPrimitives.Dot(_w1.AsSpan(j * _inputs, _inputs), x) + _b1[j]);
        for (var c = 0; c < _classes; c++) p[c] = TensorPrimitives.Dot(_w2.AsSpan(c * _hidden, _hidden), h) + _b2[c];
        TensorPrimitives.SoftMax(p, p);
    }

    private float[] Standardise(float[] x)
    {
        var result = new float[_inputs];
        for (var i = 0; i < _inputs; i++) result[i] = (x[i] - _mean[i]) * _scale[i];
        return result;
    }

    /// <summary>
    /// ONNX: <c>features</c> float [batch, inputs] → MatMul, Add, Relu, MatMul, Add, Softmax → <c>probabilities</c>
    /// [batch, classes], with the labels (and anything else) in metadata, as the onnx-classifier kind reads heads.
    /// </summary>
    public byte[] ToOnnx(IReadOnlyList<string> labels, IReadOnlyDictionary<string, string> metadata)
    {
        // Standardisation folded in: W1' = W1 * scale, b1' = b1 - W1' * mean.
        var w1 = new float[_inputs * _hidden]; // [inputs, hidden] for MatMul(features, W1')
        var b1 = (float[])_b1.Clone();
        for (var j = 0; j < _hidden; j++)
            for (var i = 0; i < _inputs; i++)
            {
                var weight = _w1[j * _inputs + i] * _scale[i];
                w1[i * _hidden + j] = weight;
                b1[j] -= weight * _mean[i];
            }
        var w2 = new float[_hidden * _classes];
        for (var c = 0; c < _classes; c++)
            for (var j = 0; j < _hidden; j++) w2[j * _classes + c] = _w2[c * _hidden + j];

        var graph = new GraphProto { Name = "head" };
        graph.Input.Add(Value("features", _inputs));
        graph.Output.Add(Value("probabilities", _classes));
        graph.Initializer.Add(Tensor("w1", [_inputs, _hidden], w1));
        graph.Initializer.Add(Tensor("b1", [_hidden], b1));
        graph.Initializer.Add(Tensor("w2", [_hidden, _classes], w2));
        graph.Initializer.Add(Tensor("b2", [_classes], _b2));
        graph.Node.Add(Node("MatMul", ["features", "w1"], "h0"));
        graph.Node.Add(Node("Add", ["h0", "b1"], "h1"));
        graph.Node.Add(Node("Relu", ["h1"], "h"));
        graph.Node.Add(Node("MatMul", ["h", "w2"], "z0"));
        graph.Node.Add(Node("Add", ["z0", "b2"], "logits"));
        var softmax = Node("Softmax", ["logits"], "probabilities");
        softmax.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
        graph.Node.Add(softmax);
        var model = new ModelProto { IrVersion = 8, ProducerName = "herald models train", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "labels", Value = string.Join(",", labels) });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    private static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static (float[] Mean, float[] Scale) Statistics(IReadOnlyList<float[]> features, int inputs)
    {
        var (mean, variance) = (new double[inputs], new double[inputs]);
        foreach (var x in features) for (var i = 0; i < inputs; i++) mean[i] += x[i];
        for (var i = 0; i < inputs; i++) mean[i] /= features.Count;
        foreach (var x in features) for (var i = 0; i < inputs; i++) variance[i] += (x[i] - mean[i]) * (x[i] - mean[i]);
        var scale = variance.Select(v => (float)(1 / Math.Sqrt(v / features.Count + 1e-6))).ToArray();
        return ([.. mean.Select(m => (float)m)], scale);
    }

    private static float[] Initial(int count, float deviation, Random random) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * deviation * 1.7320508f)];

    /// <summary>AdamW state for one parameter array.</summary>
    private sealed class Adam(int size)
    {
        private readonly float[] _m = new float[size], _v = new float[size];

        public void Update(float[] parameters, float[] gradients, float gradientScale, float rate, int step, float decay)
        {
            const float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
            var (correction1, correction2) = (1 - MathF.Pow(beta1, step), 1 - MathF.Pow(beta2, step));
            for (var i = 0; i < parameters.Length; i++)
            {
                var g = gradients[i] * gradientScale;
                _m[i] = beta1 * _m[i] + (1 - beta1) * g;
                _v[i] = beta2 * _v[i] + (1 - beta2) * g * g;
                parameters[i] -= rate * (_m[i] / correction1 / (MathF.Sqrt(_v[i] / correction2) + epsilon) + decay * parameters[i]);
            }
        }
    }
}
