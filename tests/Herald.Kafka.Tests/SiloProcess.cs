using System.Runtime.InteropServices;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Herald.Kafka.Tests;

/// <summary>
/// A Herald silo in a process of its own (the real Silo binary), so a test can kill it with SIGKILL, not a
/// graceful shutdown. Its console output is kept for diagnostics.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(string name, IDictionary<string, string> environment)
    {
        Name = name;
        var info = new ProcessStartInfo("dotnet", [BuiltAssembly("Silo", "Herald.Silo.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int SiloPort { get; private init; }

    /// <summary>The silo's HTTP endpoint (health checks).</summary>
    public int HttpPort { get; private init; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join(Environment.NewLine, _output);

    public int CountLines(string fragment) => _output.Count(line => line.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Starts a silo on free loopback ports; <paramref name="primary"/> null makes it the primary.</summary>
    public static SiloProcess Start(string name, string bootstrapServers, SiloProcess? primary, IDictionary<string, string>? extra = null)
    {
        var (siloPort, httpPort) = (FreePort(), FreePort());
        var environment = new Dictionary<string, string>
        {
            ["Herald__Kafka__BootstrapServers"] = bootstrapServers,
            ["Herald__PipelinesPath"] = RulesPipeline.Folder("news"),
            ["Herald__Clustering__SiloPort"] = siloPort.ToString(),
            ["Herald__Clustering__GatewayPort"] = FreePort().ToString(),
            ["Herald__Http__Urls"] = $"http://127.0.0.1:{httpPort}",
            // Declare a dead silo within a few seconds rather than the production defaults.
            ["Herald__Kafka__SessionTimeout"] = "00:00:03", // the consumer groups give a dead silo's partitions away this fast
            ["Orleans__ClusterMembership__ProbeTimeout"] = "00:00:01",
            ["Orleans__ClusterMembership__NumMissedProbesLimit"] = "2",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Herald"] = "Information",
            ["DOTNET_gcServer"] = "0",
        };
        if (primary is not null) environment["Herald__Clustering__PrimarySiloPort"] = primary.SiloPort.ToString();
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return new SiloProcess(name, environment) { SiloPort = siloPort, HttpPort = httpPort };
    }

    /// <summary>SIGKILL: no shutdown hooks, no commits, no hand-over.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the silo shuts down gracefully and hands its work over. Returns how long it took.</summary>
    public async Task<TimeSpan> StopAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (Signal(_process.Id, SigTerm) != 0) throw new InvalidOperationException($"could not signal silo {Name}");
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return clock.Elapsed;
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    /// <summary>Waits until the silo's HTTP endpoint answers /health/ready (HTTP starts after the silo itself).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient();
        await WaitForAsync(() => Answers(http, $"http://127.0.0.1:{HttpPort}/health/ready"), timeout, "answering /health/ready");
    }

    private static bool Answers(HttpClient http, string url)
    {
        try
        {
            return http.GetAsync(url).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (_process.HasExited) throw new InvalidOperationException($"silo {Name} exited while waiting for {what}:{Environment.NewLine}{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"silo {Name}: {what} did not happen within {timeout}:{Environment.NewLine}{Output}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orleans.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("tests must run inside the Herald repository");
    }

    /// <summary>The configuration (Debug/Release) the tests were built with, and so the projects they start.</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>A project's built assembly, e.g. ("Silo", "Herald.Silo.dll"), in the tests' configuration.</summary>
    public static string BuiltAssembly(string project, string assembly)
    {
        var path = Path.Combine(RepositoryRoot(), project, "bin", Configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the {project} project first", path);
    }

    /// <summary>The `herald` command line's assembly.</summary>
    public static string HeraldCli => BuiltAssembly(Path.Combine("Client", "Herald.Cli"), "herald.dll");
}
