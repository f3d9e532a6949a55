using Herald.Kafka.Embedded;

namespace Herald.Kafka.Tests;

/// <summary>Herald's three topics on a test broker, as a silo with default settings expects them.</summary>
public static class HeraldTopics
{
    public const string Input = "herald.documents";
    public const string Annotations = "herald.annotations";
    public const string DeadLetters = "herald.deadletter";

    public static EmbeddedKafkaBroker WithHeraldTopics(this EmbeddedKafkaBroker broker, int partitions)
    {
        foreach (var topic in new[] { Input, Annotations, DeadLetters }) broker.CreateTopic(topic, partitions);
        return broker;
    }
}
