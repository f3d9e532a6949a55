namespace Herald.Kafka.Tests;

/// <summary>Servers a process test starts for itself: redis-server, and the broker as `herald dev broker`.</summary>
public static class LocalServers
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>A fresh redis-server on a free loopback port, or null on a laptop without one (never under CI=true).</summary>
    public static async Task<(ChildProcess Process, int Port)?> RedisAsync()
    {
        if (!ChildProcess.OnPath("redis-server"))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "redis-server is required under CI=true (scripts/install-test-deps.sh installs it)");
            return null;
        }
        var port = SiloProcess.FreePort();
        var redis = new ChildProcess("redis-server", "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        await redis.WaitForOutputAsync("Ready to accept connections", Patience);
        return (redis, port);
    }

    /// <summary>The README's `herald dev broker` on a free loopback port; its bootstrap address.</summary>
    public static async Task<(ChildProcess Process, string BootstrapServers)> DevBrokerAsync(params string[] arguments)
    {
        var port = SiloProcess.FreePort();
        var broker = new ChildProcess("dotnet", [SiloProcess.HeraldCli, "dev", "broker", "--port", port.ToString(), .. arguments]);
        await broker.WaitForOutputAsync("broker ready on", Patience);
        return (broker, $"127.0.0.1:{port}");
    }
}
