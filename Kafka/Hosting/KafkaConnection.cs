using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Herald.Kafka.Embedded;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Herald.Kafka.Hosting;

/// <summary>
/// How this silo reaches Kafka: the configured cluster, or the embedded broker it starts when none is
/// configured. Creates Herald's topics either way (the mock broker through librdkafka, a real one through
/// the AdminClient); every other client uses the same code path for both.
/// </summary>
public sealed class KafkaConnection : IAsyncDisposable
{
    private readonly KafkaOptions _options;
    private readonly EmbeddedKafkaBroker? _embedded;
    private readonly Lazy<int> _inputPartitions;
    private readonly ILogger<KafkaConnection> _logger;
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);

    public KafkaConnection(IOptions<KafkaOptions> options, TimeProvider time, ILogger<KafkaConnection> logger)
    {
        _options = options.Value;
        Time = time;
        _logger = logger;
        if (string.IsNullOrWhiteSpace(_options.BootstrapServers))
        {
            _embedded = new EmbeddedKafkaBroker(_options.EmbeddedPort);
            BootstrapServers = _embedded.BootstrapServers;
            logger.LogWarning(
                "No Herald:Kafka:BootstrapServers configured: started an EMBEDDED, IN-MEMORY Kafka broker on {Bootstrap}. " +
                "It keeps only about 5 MiB per partition and loses everything when this process exits. Configure a real cluster for production.",
                BootstrapServers);
        }
        else
        {
            BootstrapServers = _options.BootstrapServers;
        }
        _inputPartitions = new Lazy<int>(CreateTopicsAndCountPartitions);
    }

    /// <summary>Whether this silo started the embedded broker (librdkafka's mock cluster) because no cluster is configured.</summary>
    public bool IsEmbedded => _embedded is not null;

    public string BootstrapServers { get; }

    /// <summary>The silo's clock, for every wait and deadline of the Kafka layer (replaceable in tests).</summary>
    public TimeProvider Time { get; }

    public KafkaOptions Options => _options;

    /// <summary>Makes sure Herald's topics exist (once; blocks up to the connect timeout) and returns the input topic's partition count.</summary>
    public int EnsureTopics() => _inputPartitions.Value;

    /// <summary>Settings every client shares: the bootstrap servers and the configured extras (security, ...).</summary>
    public T Configure<T>(T config) where T : ClientConfig
    {
        config.BootstrapServers = BootstrapServers;
        foreach (var (key, value) in _options.Client) config.Set(key, value);
        return config;
    }

    private int CreateTopicsAndCountPartitions()
    {
        string[] topics = [_options.InputTopic, _options.AnnotationsTopic, _options.DeadLetterTopic];
        if (_embedded is not null)
        {
            foreach (var topic in topics) _embedded.CreateTopic(topic, _options.Partitions);
            return _options.Partitions;
        }
        // A silo may start before its Kafka cluster (both deployed at once): wait for it, then fail with the reason.
        var deadline = Time.GetUtcNow() + _options.ConnectTimeout;
        using var admin = new AdminClientBuilder(Configure(new AdminClientConfig())).Build();
        while (true)
        {
            try
            {
                return CreateTopicsAndCountPartitions(admin, topics, Remaining(deadline));
            }
            catch (KafkaException e) when (Time.GetUtcNow() + RetryPeriod < deadline)
            {
                _logger.LogWarning("Kafka at {Bootstrap} is not ready yet ({Reason}); trying again until {Deadline:O}", BootstrapServers, Reason(e), deadline);
                Thread.Sleep(RetryPeriod);
            }
            catch (KafkaException e)
            {
                throw new InvalidOperationException(
                    $"Kafka at {BootstrapServers} was not ready within {_options.ConnectTimeout.TotalSeconds:0} s (Herald:Kafka:ConnectTimeout): {Reason(e)}", e);
            }
        }
    }

    /// <summary>Creates those of Herald's topics that do not exist yet (existing ones keep their settings), then counts the input's partitions.</summary>
    private int CreateTopicsAndCountPartitions(IAdminClient admin, string[] topics, TimeSpan timeout)
    {
        var existing = CreateMissing(admin, topics, timeout);
        // A topic still being created (or to be created by another job) is not there yet: retried, too.
        if (!existing.TryGetValue(_options.InputTopic, out var input))
            throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"input topic '{_options.InputTopic}' is not available" +
                (_options.CreateTopics ? "" : " (Herald:Kafka:CreateTopics is false: create it, or let Herald)")));
        return input.Partitions.Count;
    }

    /// <summary>
    /// The partition count of each of <paramref name="topics"/> that exists, after creating the missing ones when Herald may
    /// (<see cref="KafkaOptions.CreateTopics"/>); a topic absent from the answer is missing. For topics other than Herald's own
    /// (a kafka annotator's request and result topics).
    /// </summary>
    public IReadOnlyDictionary<string, int> TopicPartitions(string[] topics, TimeSpan timeout)
    {
        if (_embedded is not null)
        {
            foreach (var topic in topics) _embedded.CreateTopic(topic, _options.Partitions);
            return topics.ToDictionary(t => t, _ => _options.Partitions);
        }
        using var admin = new AdminClientBuilder(Configure(new AdminClientConfig())).Build();
        return CreateMissing(admin, topics, timeout).Where(t => topics.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value.Partitions.Count);
    }

    private Dictionary<string, TopicMetadata> CreateMissing(IAdminClient admin, string[] topics, TimeSpan timeout)
    {
        // Every topic's metadata, not the named ones': asking for a topic by name may auto-create it with the broker's defaults.
        var existing = admin.GetMetadata(timeout).Topics.Where(t => !t.Error.IsError && t.Partitions.Count > 0).ToDictionary(t => t.Topic);
        var missing = topics.Where(t => !existing.ContainsKey(t)).ToArray();
        if (missing.Length == 0 || !_options.CreateTopics) return existing;
        try
        {
            admin.CreateTopicsAsync(missing.Select(t => new TopicSpecification
            {
                Name = t,
                NumPartitions = _options.Partitions,
                ReplicationFactor = _options.ReplicationFactor,
            }), new CreateTopicsOptions { RequestTimeout = timeout }).GetAwaiter().GetResult();
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Created meanwhile by another silo or job.
        }
        catch (CreateTopicsException e) when (e.Results.Any(r => IsRefusal(r.Error.Code)))
        {
            // The cluster said no for good (a forbidden name or setting, no permission): waiting will not change that.
            throw new InvalidOperationException($"Kafka at {BootstrapServers} refused to create topics {string.Join(", ", missing)}: {Reason(e)}", e);
        }
        // Any other error (brokers still registering, no controller yet, a timeout) is retried by the caller.
        return admin.GetMetadata(timeout).Topics.Where(t => !t.Error.IsError && t.Partitions.Count > 0).ToDictionary(t => t.Topic);
    }

    private static bool IsRefusal(ErrorCode code) => code is ErrorCode.TopicException or ErrorCode.PolicyViolation or ErrorCode.InvalidConfig
        or ErrorCode.InvalidPartitions or ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed;

    private static string Reason(KafkaException e) => e is CreateTopicsException topics
        ? string.Join("; ", topics.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists).Select(r => $"{r.Topic}: {r.Error.Reason}"))
        : e.Error.Reason;

    private TimeSpan Remaining(DateTimeOffset deadline) =>
        TimeSpan.FromTicks(Math.Max((deadline - Time.GetUtcNow()).Ticks, RetryPeriod.Ticks));

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null) await _embedded.DisposeAsync();
    }
}
