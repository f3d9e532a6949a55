using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Herald.Kafka.Hosting;

/// <summary>librdkafka's syslog levels as ILogger levels, so its own errors and warnings reach the silo's log.</summary>
internal static class LibRdKafkaLog
{
    public static LogLevel Level(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
