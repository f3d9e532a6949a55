using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Herald.Annotators;
using Herald.Grains.Monitoring;
using Herald.Kafka.Hosting;
using Herald.Kafka.Publishing;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Workers;

/// <summary>
/// The <c>kafka</c> kind's transport on this silo: requests go out through the silo's producer, results come back through
/// one <see cref="ResultListener"/> per result topic, matched by correlation id. A result nobody waits for (late, after a
/// timeout and retry; or a duplicate from a redelivered request) is counted and dropped.
/// </summary>
internal sealed class KafkaWorkerTopics(KafkaConnection connection, IMeterFactory meters, ILogger<KafkaWorkerTopics> logger) : IWorkerTopics, IDisposable
{
    private readonly Counter<long> _unmatched = meters.Create(HeraldMeter.Name).CreateCounter<long>("herald.remote.unmatched_results", "{result}",
        "kafka worker results that no request waited for: late (after a timeout) or duplicates");
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _pending = new();

    // Its own producer: requests are sent uncompressed, so a worker on any client library reads them (kafkajs, for one,
    // has no LZ4 without a plugin), and with a shorter linger, since a document waits for each one.
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer = new(() =>
    {
        var settings = HeraldProducer.Settings();
        settings.CompressionType = CompressionType.None;
        settings.LingerMs = 1;
        return new ProducerBuilder<byte[]?, byte[]?>(connection.Configure(settings))
            .SetErrorHandler((_, error) => logger.Log(error.IsFatal ? LogLevel.Error : LogLevel.Warning, "Kafka producer (worker requests): {Reason} ({Code})", error.Reason, error.Code))
            .SetLogHandler((_, log) => logger.Log((LogLevel)log.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "librdkafka {Facility} (worker requests): {Message}", log.Facility, log.Message))
            .Build();
    });
    private readonly ConcurrentDictionary<string, Lazy<Task<ResultListener>>> _listeners = new();

    public string Describe(string requestTopic) => $"kafka://{connection.BootstrapServers}/{requestTopic}";

    public async Task<byte[]> RequestAsync(string requestTopic, string resultTopic, string key, string correlationId, string annotator, byte[] request,
        CancellationToken cancellationToken)
    {
        await ListenerAsync(resultTopic).WaitAsync(cancellationToken);
        var result = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = result;
        await using var cancelled = cancellationToken.Register(() =>
        {
            if (_pending.TryRemove(correlationId, out var waiting)) waiting.TrySetCanceled(cancellationToken);
        });
        try
        {
            await _producer.Value.ProduceAsync(requestTopic, new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(key),
                Value = request,
                Headers = RequestHeaders(correlationId, resultTopic, annotator),
            }, cancellationToken);
        }
        catch (ProduceException<byte[]?, byte[]?> e)
        {
            _pending.TryRemove(correlationId, out _);
            throw new InvalidOperationException($"{Describe(requestTopic)}: the request could not be produced: {e.Error.Reason}", e);
        }
        return await result.Task;
    }

    private static Headers RequestHeaders(string correlationId, string resultTopic, string annotator)
    {
        var headers = new Headers
        {
            { WorkerHeaders.Correlation, Encoding.UTF8.GetBytes(correlationId) },
            { WorkerHeaders.ReplyTo, Encoding.UTF8.GetBytes(resultTopic) },
            { WorkerHeaders.Annotator, Encoding.UTF8.GetBytes(annotator) },
        };
        // The annotator attempt's span: the worker's own spans join the document's trace.
        if (System.Diagnostics.Activity.Current?.Id is { } trace) headers.Add(HeraldTracing.TraceParentHeader, Encoding.UTF8.GetBytes(trace));
        return headers;
    }

    private void Deliver(string correlationId, byte[] value)
    {
        if (_pending.TryRemove(correlationId, out var waiting)) waiting.TrySetResult(value);
        else _unmatched.Add(1);
    }

    private Task<ResultListener> ListenerAsync(string topic)
    {
        var listener = _listeners.GetOrAdd(topic, t => new Lazy<Task<ResultListener>>(() => Task.Run(() =>
        {
            var partitions = connection.TopicPartitions([t], MetadataTimeout);
            return partitions.TryGetValue(t, out var count)
                ? new ResultListener(connection, t, count, Deliver, logger)
                : throw new InvalidOperationException($"result topic '{t}' does not exist on Kafka at {connection.BootstrapServers}");
        })));
        // A failed start (the topic was missing) is tried again by the next request rather than remembered.
        if (listener.Value.IsFaulted) _listeners.TryRemove(new KeyValuePair<string, Lazy<Task<ResultListener>>>(topic, listener));
        return listener.Value;
    }

    public async Task CheckAsync(string requestTopic, string resultTopic, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, int> found;
        try
        {
            found = await Task.Run(() => connection.TopicPartitions([requestTopic, resultTopic], MetadataTimeout), cancellationToken);
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            throw new AnnotatorConfigurationException($"{Describe(requestTopic)}: {e.Message}");
        }
        var missing = new[] { requestTopic, resultTopic }.Where(t => !found.ContainsKey(t)).ToList();
        if (missing.Count > 0)
            throw new AnnotatorConfigurationException(
                $"topic {string.Join(" and ", missing.Select(t => $"'{t}'"))} does not exist on Kafka at {connection.BootstrapServers}" +
                (connection.Options.CreateTopics ? "" : " (Herald:Kafka:CreateTopics is false: create it)"));
        await ListenerAsync(resultTopic).WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        foreach (var listener in _listeners.Values)
            if (listener.IsValueCreated && listener.Value.IsCompletedSuccessfully) listener.Value.Result.Dispose();
        foreach (var waiting in _pending.Values) waiting.TrySetCanceled();
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }
}
