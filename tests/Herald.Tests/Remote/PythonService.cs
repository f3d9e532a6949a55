using System.Net;
using System.Net.Sockets;
using Herald.Kafka.Tests;

namespace Herald.Tests.Remote;

/// <summary>An example service of the Python SDK (sdk/python/examples), run by Debian's python3 on a loopback port.</summary>
public sealed class PythonService : IDisposable
{
    private readonly ChildProcess _process;

    private PythonService(ChildProcess process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public string Output => _process.Output;

    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Starts <paramref name="example"/> (a file in sdk/python/examples); null on a laptop without python3 (never under CI=true).</summary>
    public static Task<PythonService?> StartAsync(string example, int port = 0, IDictionary<string, string>? environment = null, params string[] arguments) =>
        StartScriptAsync(Path.Combine(AppContext.BaseDirectory, "sdk", "python", "examples", example), port, environment, arguments);

    /// <summary>The SDK's folder, for scripts of a test's own that import it.</summary>
    public static string SdkFolder => Path.Combine(AppContext.BaseDirectory, "sdk", "python");

    public static async Task<PythonService?> StartScriptAsync(string script, int port = 0, IDictionary<string, string>? environment = null, params string[] arguments)
    {
        if (!File.Exists("/usr/bin/python3") && !ChildProcess.OnPath("python3"))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "python3 is required under CI=true (scripts/install-test-deps.sh installs it)");
            return null;
        }
        var process = new ChildProcess(Python, [script, "--port", port.ToString(), .. arguments], environment);
        await process.WaitForOutputAsync("listening on http://", TimeSpan.FromSeconds(30));
        var line = process.Output.Split(Environment.NewLine).First(l => l.StartsWith("listening on ", StringComparison.Ordinal));
        return new PythonService(process, new Uri(line["listening on ".Length..].Trim() + "/"));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL, as a crashed worker: connections refused from then on.</summary>
    public void Kill() => _process.Dispose();

    public void Dispose() => _process.Dispose();
}
