namespace Herald.Grains.Publishing;

/// <summary>
/// A document's record can never be published (the broker refuses it for good, e.g. larger than the producer may send):
/// retrying cannot help, so a document read from the input is dead-lettered instead of holding its partition back.
/// </summary>
[GenerateSerializer, Alias("herald.unpublishable-record")]
public sealed class UnpublishableRecordException : Exception
{
    public UnpublishableRecordException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
