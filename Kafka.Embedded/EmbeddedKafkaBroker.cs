using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Herald.Kafka.Embedded;

/// <summary>
/// A one-broker Kafka cluster in this process: librdkafka's mock cluster, reachable on 127.0.0.1:<see cref="Port"/>
/// by any Kafka client. In memory and bounded: librdkafka keeps about 5 MiB (or 100,000 batches) per partition
/// and silently drops older records. For development, tests and demos, never production.
/// </summary>
public sealed class EmbeddedKafkaBroker : IAsyncDisposable
{
    private readonly IntPtr _handle;
    private readonly IntPtr _cluster;
    private readonly TcpRelay _relay;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="port">The loopback port to listen on; 0 picks a free one.</param>
    public EmbeddedKafkaBroker(int port = 0)
    {
        LibRdKafka.EnsureLoaded();
        var error = new StringBuilder(512);
        var conf = LibRdKafka.rd_kafka_conf_new();
        LibRdKafka.rd_kafka_conf_set(conf, "log_level", "3", error, (UIntPtr)error.Capacity);
        _handle = LibRdKafka.rd_kafka_new(0, conf, error, (UIntPtr)error.Capacity);
        if (_handle == IntPtr.Zero) throw new InvalidOperationException($"librdkafka could not start: {error}");
        _cluster = LibRdKafka.rd_kafka_mock_cluster_new(_handle, 1);
        if (_cluster == IntPtr.Zero) throw new InvalidOperationException("librdkafka could not create its mock cluster");
        LibRdKafka.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 0);

        var actual = Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_mock_cluster_bootstraps(_cluster))!.Split(',')[0];
        _relay = new TcpRelay(port, IPEndPoint.Parse(actual));
        // Advertise the relay in metadata, so clients reconnect through it rather than to the hidden port.
        LibRdKafka.rd_kafka_mock_broker_set_host_port(_cluster, 1, "127.0.0.1", _relay.Port);
    }

    public int Port => _relay.Port;

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>Creates a topic (the mock broker does not implement CreateTopics); an existing one is left as it is.</summary>
    public void CreateTopic(string topic, int partitions)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var code = LibRdKafka.rd_kafka_mock_topic_create(_cluster, topic, partitions, 1);
            // 36 = TOPIC_ALREADY_EXISTS
            if (code != 0 && code != 36) throw new InvalidOperationException($"creating topic '{topic}' failed with librdkafka error {code}");
        }
    }

    /// <summary>
    /// Fault injection: the broker answers the next <paramref name="count"/> requests of a Kafka API (by its protocol
    /// key, e.g. 10 for FindCoordinator) with <paramref name="error"/>, whichever client sends them.
    /// </summary>
    public void FailRequests(short apiKey, ErrorCode error, int count)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            LibRdKafka.rd_kafka_mock_push_request_errors_array(_cluster, apiKey, (UIntPtr)count, Enumerable.Repeat((int)error, count).ToArray());
        }
    }

    /// <summary>Ends <see cref="FailRequests"/> for a Kafka API: its remaining errors are dropped.</summary>
    public void StopFailingRequests(short apiKey)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            LibRdKafka.rd_kafka_mock_clear_request_errors(_cluster, apiKey);
        }
    }

    /// <summary>Fault injection: the broker drops its connections and refuses new ones until <paramref name="down"/> is false again.</summary>
    public void SetDown(bool down)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var code = down ? LibRdKafka.rd_kafka_mock_broker_set_down(_cluster, 1) : LibRdKafka.rd_kafka_mock_broker_set_up(_cluster, 1);
            if (code != 0) throw new InvalidOperationException($"setting the broker {(down ? "down" : "up")} failed with librdkafka error {code}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        await _relay.DisposeAsync();
        LibRdKafka.rd_kafka_mock_cluster_destroy(_cluster);
        LibRdKafka.rd_kafka_destroy(_handle);
    }
}
