using Herald.Contracts;
using Microsoft.Extensions.Options;

namespace Herald.Client;

/// <summary>Where a Herald cluster is: its HTTP endpoint (any silo) and its Kafka cluster.</summary>
public sealed class HeraldClientOptions
{
    /// <summary>The configuration section <c>AddHeraldClient(IConfiguration)</c> binds by convention.</summary>
    public const string Section = "Herald:Client";

    /// <summary>A silo's HTTP endpoint (behind a Kubernetes service in production).</summary>
    public Uri Url { get; set; } = new("http://127.0.0.1:8080/");

    /// <summary>The bearer token for operations that change the cluster (deploy, retire, pause, resume, publishing annotate).</summary>
    public string? ApiToken { get; set; }

    /// <summary>The Kafka cluster Herald reads from and writes to (for submitting and watching).</summary>
    public string KafkaBootstrapServers { get; set; } = "127.0.0.1:9092";

    public string InputTopic { get; set; } = DefaultTopics.Input;

    public string AnnotationsTopic { get; set; } = DefaultTopics.Annotations;

    /// <summary>Extra librdkafka settings for the client's producer and consumer (security.protocol, sasl.*, ...).</summary>
    public Dictionary<string, string> Kafka { get; set; } = [];

    /// <summary>How long one HTTP attempt may take (an annotation runs the whole pipeline).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many times a safe request (GET) is retried after a transient failure (no answer, 408, 429, 5xx), with
    /// exponential backoff from <see cref="RetryDelay"/>. Changes (PUT, POST, DELETE) are never retried.
    /// </summary>
    public int Retries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>Checks <see cref="HeraldClientOptions"/> once, at start, naming every problem.</summary>
internal sealed class HeraldClientOptionsValidator : IValidateOptions<HeraldClientOptions>
{
    public ValidateOptionsResult Validate(string? name, HeraldClientOptions options)
    {
        var problems = new List<string>();
        if (!options.Url.IsAbsoluteUri || options.Url.Scheme is not ("http" or "https"))
            problems.Add($"Url must be an absolute http or https address (was '{options.Url}')");
        if (string.IsNullOrWhiteSpace(options.KafkaBootstrapServers)) problems.Add("KafkaBootstrapServers must name at least one broker (host:port)");
        if (string.IsNullOrWhiteSpace(options.InputTopic)) problems.Add("InputTopic must not be empty");
        if (string.IsNullOrWhiteSpace(options.AnnotationsTopic)) problems.Add("AnnotationsTopic must not be empty");
        if (options.Timeout < TimeSpan.FromMilliseconds(10) || options.Timeout > TimeSpan.FromDays(1))
            problems.Add($"Timeout must be between 10 ms and a day (was {options.Timeout})");
        if (options.Retries is < 0 or > 10) problems.Add($"Retries must be between 0 and 10 (was {options.Retries})");
        if (options.RetryDelay < TimeSpan.Zero) problems.Add($"RetryDelay must not be negative (was {options.RetryDelay})");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
