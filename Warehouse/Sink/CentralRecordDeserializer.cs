using Confluent.Kafka;
using Herald.Warehouse.Rows;

namespace Herald.Warehouse.Sink;

/// <summary>
/// Reads a central-topic record where librdkafka holds it, copying only what the warehouse keeps into the batch being filled
/// (<paramref name="arena"/>); null for a tombstone or anything that is not a Herald record (the sink counts it unreadable).
/// </summary>
internal sealed class CentralRecordDeserializer(Func<ByteArena> arena) : IDeserializer<CentralRecord?>
{
    public CentralRecord? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
        isNull ? null : CentralRecordReader.Read(data, arena());
}
