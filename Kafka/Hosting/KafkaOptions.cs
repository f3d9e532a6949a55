namespace Herald.Kafka.Hosting;

/// <summary>What to do with a bad input too large to dead-letter whole.</summary>
public enum OversizedDeadLetters
{
    Truncate,
    Wait,
}

/// <summary>Where a pipeline's consumer group starts when it has no committed offset yet.</summary>
public enum StartPosition
{
    Earliest,
    Latest,
}

/// <summary>One pipeline's consumption of the input topic, overriding its file's <c>input:</c> where set.</summary>
public sealed class PipelineConsumerOptions
{
    /// <summary>Defaults to <c>herald-{tag}</c>.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>Overrides the pipeline file's <c>input: { start }</c>; with neither, the earliest offset.</summary>
    public StartPosition? StartFrom { get; set; }
}

/// <summary>Configuration section <c>Herald:Kafka</c>.</summary>
public sealed class KafkaOptions
{
    public const string Section = "Herald:Kafka";

    /// <summary>A real cluster's bootstrap servers. Empty: start the embedded broker in this process.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Loopback port of the embedded broker (0: any free port).</summary>
    public int EmbeddedPort { get; set; } = 9092;

    public string InputTopic { get; set; } = DefaultTopics.Input;
    public string AnnotationsTopic { get; set; } = DefaultTopics.Annotations;
    public string DeadLetterTopic { get; set; } = DefaultTopics.DeadLetters;

    /// <summary>Partitions of topics Herald creates; an existing input topic keeps its own count.</summary>
    public int Partitions { get; set; } = 8;

    public short ReplicationFactor { get; set; } = 1;

    /// <summary>Create missing topics at start (through the AdminClient). Off when a platform team owns the topics.</summary>
    public bool CreateTopics { get; set; } = true;

    /// <summary>
    /// Input messages larger than this go to the dead-letter topic. It must leave room under the producer's
    /// <c>message.max.bytes</c> (1,000,000 unless set in <see cref="Client"/>) for the dead letter's headers.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 900_000;

    public EmissionMode Emit { get; set; } = EmissionMode.All;

    /// <summary>
    /// How long Herald waits for the Kafka cluster: at silo start, for the input topic's partitions (a silo deployed
    /// together with its cluster waits for it, then fails with the reason), and when a partition reader takes its
    /// partition (group coordinator, committed offset; a reader that times out tries again every few seconds).
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Documents of one input partition a pipeline runs at once on a silo: reading the partition pauses while this
    /// many are read and unfinished. Enough to keep the annotators busy; more only costs memory.
    /// </summary>
    public int MaxInFlightPerPartition { get; set; } = 256;

    /// <summary>
    /// The consumer groups' session timeout: how long a silo that died unannounced keeps its partitions before the group
    /// gives them to the others (Kafka's brokers accept 6 s to 30 min by default).
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When partitions leave a silo (a rebalance, a retired pipeline, a shutdown), how long it waits for their documents in
    /// flight to finish before committing what finished; the rest is read again by the next owner.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A bad input too large for the producer to copy whole into the dead-letter topic: <c>Truncate</c> (the default)
    /// writes its first <see cref="MaxMessageBytes"/> bytes with headers giving the original size, and moves on;
    /// <c>Wait</c> keeps the partition at it until an operator intervenes (nothing is ever cut).
    /// </summary>
    public OversizedDeadLetters OversizedDeadLetters { get; set; } = OversizedDeadLetters.Truncate;

    /// <summary>
    /// Extra librdkafka properties for every client (security.protocol, sasl.mechanism, sasl.username,
    /// sasl.password, ssl.ca.location, ...). Put secrets in the environment (Herald__Kafka__Client__sasl.password).
    /// </summary>
    public Dictionary<string, string> Client { get; set; } = [];

    /// <summary>Per pipeline tag. Pipelines not listed consume with the defaults.</summary>
    public Dictionary<string, PipelineConsumerOptions> Pipelines { get; set; } = [];

    public PipelineConsumerOptions ConsumerFor(string tag) => Pipelines.GetValueOrDefault(tag) ?? new PipelineConsumerOptions();

    public string ConsumerGroupFor(string tag) => ConsumerFor(tag).ConsumerGroup ?? $"herald-{tag}";
}
