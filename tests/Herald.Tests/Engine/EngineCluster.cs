using Herald.Annotators;
using Herald.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Herald.Tests.Engine;

/// <summary>
/// A real two-silo Orleans cluster in this process with Herald's engine, the built-in kinds plus the
/// <c>probe</c> kind, and every pipeline in <see cref="TestPipelines"/> deployed.
/// </summary>
public sealed class EngineCluster : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-pipelines-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        foreach (var (tag, yaml) in TestPipelines.All)
            await File.WriteAllTextAsync(Path.Combine(_folder, $"{tag}.yaml"), yaml);
        // The shipped news pipeline (with its trained heads) and its rules-only variant: event-type 2.x and 1.x side by side.
        File.Copy(Path.Combine(AppContext.BaseDirectory, "pipelines", "news.yaml"), Path.Combine(_folder, "news.yaml"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "samples", "pipelines", "news-rules.yaml"), Path.Combine(_folder, "news-rules.yaml"));
        Directory.CreateDirectory(Path.Combine(_folder, "models"));
        foreach (var model in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "pipelines", "models"), "*.onnx"))
            File.Copy(model, Path.Combine(_folder, "models", Path.GetFileName(model)));

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<AnnotatorKind>(ProbeAnnotator.Kind);
            silo.AddHerald(o => o.PipelinesPath = _folder).AddHeraldKinds(Herald.Annotators.Onnx.ModelKinds.All);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class EngineClusterCollection : ICollectionFixture<EngineCluster>
{
    public const string Name = "engine cluster";
}
