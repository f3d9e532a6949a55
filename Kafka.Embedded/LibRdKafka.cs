using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Herald.Kafka.Embedded;

/// <summary>
/// The few librdkafka entry points that run its mock cluster: a broker that speaks the Kafka protocol
/// inside the native library Confluent.Kafka already ships. Not part of Confluent.Kafka's managed API.
/// </summary>
internal static partial class LibRdKafka
{
    private const string Library = "librdkafka";

    static LibRdKafka()
    {
        // The package's default build needs libsasl2.so.3, which Debian 12 lacks; Confluent.Kafka then falls back
        // to the centos8 build. Resolve the same way so one copy is loaded and these calls reach it.
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, static (name, assembly, path) =>
        {
            if (name != Library) return IntPtr.Zero;
            foreach (var candidate in new[] { "librdkafka", "centos8-librdkafka", "alpine-librdkafka" })
            {
                if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
            }
            return IntPtr.Zero;
        });
    }

    /// <summary>Forces the resolver above to be installed before the first call.</summary>
    public static void EnsureLoaded() { }

    [DllImport(Library)] public static extern IntPtr rd_kafka_conf_new();
    [DllImport(Library)] public static extern int rd_kafka_conf_set(IntPtr conf, string name, string value, StringBuilder errstr, UIntPtr errstrSize);
    [DllImport(Library)] public static extern IntPtr rd_kafka_new(int type, IntPtr conf, StringBuilder errstr, UIntPtr errstrSize);
    [DllImport(Library)] public static extern void rd_kafka_destroy(IntPtr rk);
    [DllImport(Library)] public static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);
    [DllImport(Library)] public static extern void rd_kafka_mock_cluster_destroy(IntPtr mcluster);
    [DllImport(Library)] public static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);
    [DllImport(Library)] public static extern int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitions, int replicationFactor);
    [DllImport(Library)] public static extern void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int ms);
    [DllImport(Library)] public static extern int rd_kafka_mock_broker_set_host_port(IntPtr mcluster, int brokerId, string host, int port);
    [DllImport(Library)] public static extern void rd_kafka_mock_push_request_errors_array(IntPtr mcluster, short apiKey, UIntPtr count, int[] errors);
    [DllImport(Library)] public static extern void rd_kafka_mock_clear_request_errors(IntPtr mcluster, short apiKey);
    [DllImport(Library)] public static extern int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);
    [DllImport(Library)] public static extern int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);
}
