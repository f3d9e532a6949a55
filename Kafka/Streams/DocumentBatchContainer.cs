using Herald.Grains.Ingestion;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Herald.Kafka.Streams;

/// <summary>One input message, parsed: a batch of one document event, sequenced by its Kafka offset.</summary>
[GenerateSerializer, Immutable, Alias("herald.document-batch")]
public sealed class DocumentBatchContainer(StreamId streamId, DocumentEvent @event, EventSequenceTokenV2 token) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;
    [Id(1)] public DocumentEvent Event { get; } = @event;
    [Id(2)] public EventSequenceTokenV2 Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Event is T typed ? [Tuple.Create(typed, (StreamSequenceToken)Token)] : [];

    public bool ImportRequestContext() => false;
}
