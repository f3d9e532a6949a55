using System.Diagnostics;

namespace Herald.Tests.Deployment;

/// <summary>
/// The Helm chart, validated as a platform team would install it: scripts/validate-helm.sh lints and renders it over
/// every value set and checks each rendered object against the Kubernetes schemas (helm and the validator come from npm).
/// </summary>
[Trait("Category", "process")]
public sealed class HelmChartTests
{
    [Fact]
    public async Task The_chart_lints_renders_and_validates_against_kubernetes_schemas_for_every_value_set()
    {
        if (!OnPath("npm") || !OnPath("node"))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "npm and node are required under CI=true to validate the Helm chart");
            return; // a laptop without Node: validated in CI
        }
        var root = Repository.Root();
        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "validate-helm.sh")])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = script.StandardOutput.ReadToEndAsync();
        var errors = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(script.ExitCode == 0, $"validate-helm.sh failed:\n{await output}\n{await errors}");
        Assert.Matches(@"helm chart validation: \d+ passed, 0 failed", await output);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(folder => File.Exists(Path.Combine(folder, tool)));
}
