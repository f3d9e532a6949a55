using System.Collections.Concurrent;
using System.Diagnostics;

namespace Herald.Kafka.Tests;

/// <summary>A helper server (redis-server, the standalone broker, a Python service) run by a test, with its output kept and killed at the end.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public ChildProcess(string file, params string[] arguments) : this(file, arguments, null)
    {
    }

    public ChildProcess(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Waits until a line of output contains <paramref name="fragment"/>.</summary>
    public async Task WaitForOutputAsync(string fragment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Any(line => line.Contains(fragment, StringComparison.Ordinal)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"{_process.StartInfo.FileName} exited:{Environment.NewLine}{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"'{fragment}' did not appear within {timeout}:{Environment.NewLine}{Output}");
            await Task.Delay(50);
        }
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(folder => File.Exists(Path.Combine(folder, tool)));

    private bool _disposed;

    /// <summary>Kills the process (a test may do it mid-run; disposing again does nothing).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
