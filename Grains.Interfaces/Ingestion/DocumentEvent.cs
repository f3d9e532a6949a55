namespace Herald.Grains.Ingestion;

/// <summary>Where an ingested document came from, so its completion can be checkpointed: which checkpoint, which offset.</summary>
[GenerateSerializer, Immutable, Alias("herald.input-position")]
public sealed record InputPosition([property: Id(0)] string CheckpointKey, [property: Id(1)] long Offset);

/// <summary>A valid document read from the input, on its way to its document grain through an Orleans stream.</summary>
[GenerateSerializer, Immutable, Alias("herald.document-event")]
public sealed record DocumentEvent([property: Id(0)] Documents.DocumentInput Document, [property: Id(1)] InputPosition Source);

/// <summary>The stream namespace of ingested documents; the stream key is the document grain key (tag/id).</summary>
public static class DocumentStreams
{
    public const string Namespace = "herald.documents";
}
