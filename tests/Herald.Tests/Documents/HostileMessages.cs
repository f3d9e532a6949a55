using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Herald.Tests.Documents;

/// <summary>
/// Input messages as a hostile or broken producer sends them: valid documents mutated at the byte level (truncation,
/// bit flips, invalid and overlong UTF-8, encoded surrogates, lone surrogate escapes, raw control characters, huge
/// numbers, deep nesting), and some left valid. Shared by the parser's property test and the end-to-end burst.
/// </summary>
public static class HostileMessages
{
    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 $€é✓\"\\/-"], 1, 24];

    /// <summary>A valid document, keyed by its id.</summary>
    public static readonly Gen<byte[]> ValidDocument =
        Gen.Select(Word, Word, Word.Null(), Gen.Bool, (id, text, title, withDate) =>
        {
            var document = new JsonObject { ["id"] = "g-" + id, ["text"] = "x" + text };
            if (title is not null) document["title"] = title;
            if (withDate) document["publishedAt"] = "2026-03-04T08:00:00Z";
            document["extra"] = new JsonObject { ["n"] = 1.5, ["list"] = new JsonArray("a", 2, null) };
            return Encoding.UTF8.GetBytes(document.ToJsonString());
        });

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0x80], [0xBF], // never valid, lone continuation bytes
        [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80], // overlong encodings
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], // UTF-16 surrogates encoded as UTF-8
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], // beyond U+10FFFF
        [0xE2, 0x82], [0xF0, 0x9F, 0x98], // truncated sequences
    ];

    private static readonly string[] Splices =
    [
        "\\ud800", "\\udfff", "\\ud83d\\u0041", "\\uDBFF", "\u0001", "\u0000", "\t", "\n", "\\u0000",
        "1e999999", "123456789012345678901234567890123456789012345678901234567890", "-0.0e-9999",
        new string('[', 100), "\":", "}", "{", "\"text\":5,", "\"title\":[1],", "\"publishedAt\":\"yesterday\",", "\"metadata\":7,",
    ];

    /// <summary>One mutation of a valid document: what a broken producer, a flaky pipe or an attacker makes of it.</summary>
    public static readonly Gen<byte[]> Mutated = ValidDocument.SelectMany(valid => Gen.Int[0, valid.Length].SelectMany(at => Gen.OneOf(
        Gen.Const(valid), // some stay valid
        Gen.Const(valid[..at]), // truncation
        Gen.Int[0, 7].Select(bit => FlipBit(valid, Math.Min(at, valid.Length - 1), bit)),
        Gen.Int[0, InvalidUtf8.Length - 1].Select(i => Insert(valid, at, InvalidUtf8[i])),
        Gen.Int[0, Splices.Length - 1].Select(i => Insert(valid, at, Encoding.UTF8.GetBytes(Splices[i]))),
        Gen.Int[0, Splices.Length - 1].Select(i => InsideText(valid, Encoding.UTF8.GetBytes(Splices[i]))),
        Gen.Int[0, InvalidUtf8.Length - 1].Select(i => InsideText(valid, InvalidUtf8[i])))));

    private static byte[] FlipBit(byte[] bytes, int at, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= (byte)(1 << bit);
        return copy;
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted) => [.. bytes[..at], .. inserted, .. bytes[at..]];

    /// <summary>Right after the opening quote of the "text" value: the field every document needs.</summary>
    private static byte[] InsideText(byte[] bytes, byte[] inserted)
    {
        var at = bytes.AsSpan().IndexOf("\"text\":\""u8);
        return at < 0 ? Insert(bytes, 0, inserted) : Insert(bytes, at + 8, inserted);
    }
}
