using System.Text;

namespace Herald.Cli.Training;

/// <summary>
/// Adds a <c>metadata_props</c> entry to a serialised ONNX ModelProto. Protocol buffers merge repeated fields
/// appended to a message, so appending the encoded field is enough and leaves the rest of the model untouched.
/// </summary>
public static class OnnxMetadata
{
    private const int MetadataPropsField = 14; // ModelProto.metadata_props, a repeated StringStringEntryProto

    public static byte[] Append(byte[] model, string key, string value)
    {
        var entry = new MemoryStream();
        WriteString(entry, 1, key);
        WriteString(entry, 2, value);
        var output = new MemoryStream();
        output.Write(model);
        WriteBytes(output, MetadataPropsField, entry.ToArray());
        return output.ToArray();
    }

    private static void WriteString(Stream stream, int field, string value) => WriteBytes(stream, field, Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(Stream stream, int field, byte[] bytes)
    {
        WriteVarint(stream, (ulong)(field << 3 | 2));
        WriteVarint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }
}
