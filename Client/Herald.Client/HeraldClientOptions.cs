namespace Herald.Client;

/// <summary>Where a Herald cluster is: its HTTP endpoint (any silo) and its Kafka cluster.</summary>
public sealed class HeraldClientOptions
{
    /// <summary>A silo's HTTP endpoint (behind a Kubernetes service in production).</summary>
    public Uri Url { get; set; } = new("http://127.0.0.1:8080/");

    /// <summary>The bearer token for operations that change the cluster (deploy, retire, pause, resume, publishing annotate).</summary>
    public string? ApiToken { get; set; }

    /// <summary>The Kafka cluster Herald reads from and writes to (for submitting and watching).</summary>
    public string KafkaBootstrapServers { get; set; } = "127.0.0.1:9092";

    public string InputTopic { get; set; } = "herald.documents";

    public string AnnotationsTopic { get; set; } = "herald.annotations";

    /// <summary>Extra librdkafka settings for the client's producer and consumer (security.protocol, sasl.*, ...).</summary>
    public Dictionary<string, string> Kafka { get; set; } = [];

    /// <summary>How long an HTTP call may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
