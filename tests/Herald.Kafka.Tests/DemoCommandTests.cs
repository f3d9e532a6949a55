using System.Diagnostics;

namespace Herald.Kafka.Tests;

/// <summary>README's first command, as a newcomer types it (from the repository root), on free ports.</summary>
[Trait("Category", "process")]
public sealed class DemoCommandTests
{
    [Fact]
    public async Task The_readme_demo_runs_every_sample_through_kafka_and_prints_the_signals()
    {
        var info = new ProcessStartInfo("dotnet", ["run", "--no-build", "-c", SiloProcess.Configuration, "--project", "Silo", "--", "--demo", "samples/news.jsonl"])
        {
            WorkingDirectory = SiloProcess.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The same command; only the ports differ, so it cannot collide with anything else on the machine.
        info.Environment["Herald__Kafka__EmbeddedPort"] = "0";
        info.Environment["Herald__Http__Urls"] = $"http://127.0.0.1:{SiloProcess.FreePort()}";
        info.Environment["Herald__Clustering__SiloPort"] = SiloProcess.FreePort().ToString();
        info.Environment["Herald__Clustering__GatewayPort"] = SiloProcess.FreePort().ToString();
        using var demo = Process.Start(info)!;
        var output = demo.StandardOutput.ReadToEndAsync();
        var errors = demo.StandardError.ReadToEndAsync();
        await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));

        var printed = await output + await errors;
        Assert.True(demo.ExitCode == 0, printed);
        Assert.Contains("240/240 documents complete", printed);
        Assert.Contains("Failed annotations: 0.", printed);
        Assert.Matches(@"Signals: .*funding_round: \d+", printed);
    }
}
