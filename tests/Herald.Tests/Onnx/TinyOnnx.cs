using System.Text;

namespace Herald.Tests.Onnx;

/// <summary>
/// Writes small ONNX models for tests, as protocol buffers by hand: no NER model is obtainable offline, so the project
/// makes its own. Only the ONNX fields the models below need are written (onnx.proto field numbers in comments).
/// </summary>
internal static class TinyOnnx
{
    public const int Float = 1, Int64 = 7; // TensorProto.DataType

    /// <summary>
    /// A token classifier with the standard exported signature: input_ids, attention_mask, token_type_ids (int64
    /// [batch, sequence]) in, logits = table[input_ids] (float [batch, sequence, labels]) out. Each vocabulary id's row of
    /// <paramref name="table"/> is its logits, so the model labels tokens without context, which is all decoding tests need.
    /// </summary>
    public static byte[] TokenClassifier(float[,] table, string? labelsMetadata = null)
    {
        var (vocabulary, labels) = (table.GetLength(0), table.GetLength(1));
        var raw = new byte[vocabulary * labels * 4];
        Buffer.BlockCopy(table, 0, raw, 0, raw.Length);
        var initializer = Message(w => w.Varints(1, vocabulary, labels).Varint(2, Float).String(8, "table").Bytes(9, raw));
        var gather = Message(w => w.String(1, "table").String(1, "input_ids").String(2, "logits").String(3, "lookup").String(4, "Gather"));
        var graph = Message(w => w
            .Bytes(1, gather)
            .String(2, "tiny-token-classifier")
            .Bytes(5, initializer)
            .Bytes(11, Tensor("input_ids", Int64, "batch", "sequence"))
            .Bytes(11, Tensor("attention_mask", Int64, "batch", "sequence"))
            .Bytes(11, Tensor("token_type_ids", Int64, "batch", "sequence"))
            .Bytes(12, Tensor("logits", Float, "batch", "sequence", labels)));
        return Message(w =>
        {
            w.Varint(1, 8).String(2, "herald-tests").Bytes(7, graph).Bytes(8, Message(o => o.String(1, "").Varint(2, 13)));
            if (labelsMetadata is not null) w.Bytes(14, Message(m => m.String(1, "labels").String(2, labelsMetadata)));
        });
    }

    /// <summary>ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1 | dim_param=2}}}}}.</summary>
    private static byte[] Tensor(string name, int elementType, params object[] dimensions)
    {
        var shape = Message(s =>
        {
            foreach (var dimension in dimensions)
                s.Bytes(1, Message(d => { if (dimension is int size) d.Varint(1, size); else d.String(2, (string)dimension); }));
        });
        var tensorType = Message(t => t.Varint(1, elementType).Bytes(2, shape));
        return Message(v => v.String(1, name).Bytes(2, Message(t => t.Bytes(1, tensorType))));
    }

    private static byte[] Message(Action<ProtoWriter> write)
    {
        var writer = new ProtoWriter();
        write(writer);
        return writer.ToArray();
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public ProtoWriter Varint(int field, long value) => Tag(field, 0).Raw((ulong)value);

        public ProtoWriter Varints(int field, params long[] values)
        {
            foreach (var value in values) Varint(field, value);
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Bytes(int field, byte[] value)
        {
            Tag(field, 2).Raw((ulong)value.Length);
            _stream.Write(value);
            return this;
        }

        public byte[] ToArray() => _stream.ToArray();

        private ProtoWriter Tag(int field, int wireType) => Raw((ulong)(field << 3 | wireType));

        private ProtoWriter Raw(ulong value)
        {
            for (; value >= 0x80; value >>= 7) _stream.WriteByte((byte)(value | 0x80));
            _stream.WriteByte((byte)value);
            return this;
        }
    }
}
