using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CsCheck;
using Herald.Grains.Documents;

namespace Herald.Tests.Documents;

/// <summary>
/// Whatever the bytes of an input message, reading it has exactly one outcome: a document that every later step can
/// encode and that strict readers of the central topic can read back, or <see cref="InvalidDocumentException"/> with a reason.
/// </summary>
public sealed class DocumentParserPropertyTests
{
    [Fact]
    public void Any_mutation_of_a_document_is_a_readable_document_or_an_invalid_document_with_a_reason()
    {
        HostileMessages.Mutated.Sample(bytes =>
        {
            DocumentInput document;
            try
            {
                document = DocumentParser.ParseMessage("key-1"u8, bytes, 900_000);
            }
            catch (InvalidDocumentException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                return;
            }
            AssertReadableRecord(document);
        }, iter: 20_000);
    }

    [Fact]
    public void Arbitrary_bytes_never_throw_anything_but_an_invalid_document()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            try
            {
                AssertReadableRecord(DocumentParser.ParseMessage(bytes, bytes, 900_000));
            }
            catch (InvalidDocumentException)
            {
            }
        }, iter: 20_000);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, "not UTF-8: the byte at offset 22")]
    [InlineData(new byte[] { 0xC0, 0x80 }, "not UTF-8: the byte at offset 22")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "not UTF-8: the byte at offset 22")]
    [InlineData(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0' }, "a string ending at byte")]
    public void Invalid_text_inside_a_string_is_refused_with_where_it_is(byte[] inserted, string reason)
    {
        byte[] message = [.. "{\"id\":\"a\",\"text\":\"bad "u8, .. inserted, .. " byte\"}"u8];
        var e = Assert.Throws<InvalidDocumentException>(() => DocumentParser.ParseMessage([], message, 1000));
        Assert.StartsWith(reason, e.Message);
    }

    [Theory]
    [InlineData("""{"id":"a","text":"t","title":42}""", "'title' must be a string, not number")]
    [InlineData("""{"id":"a","text":"t","url":{}}""", "'url' must be a string, not object")]
    [InlineData("""{"id":"a","text":"t","metadata":[]}""", "'metadata' must be an object, not array")]
    public void Known_fields_have_their_documented_types(string json, string reason) =>
        Assert.Equal(reason, Assert.Throws<InvalidDocumentException>(() => DocumentParser.Parse(json)).Message);

    [Fact]
    public void A_key_that_is_not_utf8_is_refused() =>
        Assert.Equal("the message key is not UTF-8: it must be the document id",
            Assert.Throws<InvalidDocumentException>(() => DocumentParser.ParseMessage([0xFF], """{"text":"t"}"""u8, 1000)).Message);

    /// <summary>The document's own fields and the record that echoes it decode strictly, strings and names included.</summary>
    private static void AssertReadableRecord(DocumentInput document)
    {
        Assert.False(string.IsNullOrWhiteSpace(document.Id));
        Assert.False(string.IsNullOrWhiteSpace(document.Text));
        var snapshot = new DocumentSnapshot("news", "v1", document, [], DocumentStatus.Complete, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var record = DocumentSnapshotJson.ToUtf8(snapshot);
        Assert.True(Utf8.IsValid(record));
        using var json = JsonDocument.Parse(record);
        ReadEveryString(json.RootElement);
        Assert.Equal(document.Text, json.RootElement.GetProperty("document").GetProperty("text").GetString());
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static void ReadEveryString(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                StrictUtf8.GetBytes(element.GetString()!); // throws on a lone surrogate
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    StrictUtf8.GetBytes(property.Name);
                    ReadEveryString(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) ReadEveryString(item);
                break;
        }
    }
}
