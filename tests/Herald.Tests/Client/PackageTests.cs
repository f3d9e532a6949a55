using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Herald.Tests.Client;

/// <summary>The SDK as a NuGet package: packed from this repository, then restored and run by a separate application.</summary>
[Trait("Category", "process")]
public sealed class PackageTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("herald-package-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task The_sdk_packs_with_its_readme_and_a_separate_application_builds_and_runs_against_it()
    {
        var root = Repository.Root();
        var feed = Directory.CreateDirectory(Path.Combine(_folder.FullName, "feed")).FullName;
        foreach (var project in new[] { "Contracts/Contracts.csproj", "Client/Herald.Client/Herald.Client.csproj" })
            await DotnetAsync(root, "pack", Path.Combine(root, project), "--no-build", "--no-restore", "-c", Configuration(), "-o", feed);

        using (var package = ZipFile.OpenRead(Path.Combine(feed, "Herald.Client.0.1.0.nupkg")))
        {
            var entries = package.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("README.md", entries);
            Assert.Contains("lib/net10.0/Herald.Client.dll", entries);
            Assert.Contains("lib/net10.0/Herald.Client.xml", entries);
            using var nuspec = package.GetEntry("Herald.Client.nuspec")!.Open();
            var dependencies = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
            Assert.Contains("Herald.Contracts", dependencies);
            Assert.Contains("Microsoft.Extensions.Http.Resilience", dependencies);
            Assert.Contains("Confluent.Kafka", dependencies);
        }

        // An application outside the repository (no Directory.Build.props, no central versions) using only the packages.
        var app = Directory.CreateDirectory(Path.Combine(_folder.FullName, "app")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Packages.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><PackageReference Include="Herald.Client" Version="0.1.0" /></ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using System.Text;
            using Herald.Client;
            using Herald.Contracts;
            using Microsoft.Extensions.DependencyInjection;

            using var services = new ServiceCollection().AddHeraldClient(o => o.Url = new Uri("http://127.0.0.1:1/")).BuildServiceProvider();
            var client = services.GetRequiredService<HeraldClient>();
            var record = DocumentRecord.Parse(Encoding.UTF8.GetBytes(
                "{\"id\":\"n-1\",\"pipeline\":{\"tag\":\"news\",\"version\":\"v1\"},\"annotations\":{\"signal\":{\"version\":\"2.0.0\",\"status\":\"done\",\"value\":{\"type\":\"acquisition\",\"companies\":[],\"people\":[],\"evidence\":[]},\"durationMs\":1,\"attempts\":1,\"at\":\"2026-12-06T00:00:00Z\"}},\"status\":\"complete\",\"sequence\":2}"));
            Console.WriteLine($"{client.GetType().Name} {record.Id} {record.Signal()?.Type} {DefaultTopics.Annotations}");
            """);
        var restoreConfig = Path.Combine(app, "nuget.config");
        await File.WriteAllTextAsync(restoreConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="herald" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        // The local feed holds Herald's packages; their dependencies come from the machine's package cache (read only, so a
        // package of the same version from an earlier run is never what restores) or its configured sources.
        var output = await DotnetAsync(app, "run", "--project", app, "--property:RestorePackagesPath=" + Path.Combine(_folder.FullName, "packages"),
            "--property:RestoreFallbackFolders=" + GlobalPackages(), "--property:RestoreAdditionalProjectSources=" + string.Join(";", MachineSources()));

        Assert.Contains("HeraldClient n-1 acquisition herald.annotations", output);
    }

    private static string GlobalPackages() => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
        ? packages
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static IEnumerable<string> MachineSources()
    {
        var config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "NuGet", "NuGet.Config");
        if (!File.Exists(config)) return ["https://api.nuget.org/v3/index.json"];
        return XDocument.Load(config).Descendants("add").Where(e => e.Parent?.Name.LocalName == "packageSources").Select(e => (string)e.Attribute("value")!).ToList();
    }

    private static string Configuration() => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static async Task<string> DotnetAsync(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDNOINPROCNODE"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var all = await output + await error;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{all}");
        return all;
    }
}
