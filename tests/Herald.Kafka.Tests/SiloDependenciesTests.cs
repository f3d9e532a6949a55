using System.Text.Json;

namespace Herald.Kafka.Tests;

/// <summary>What the silo ships: the built-in encoder's bytes as data, and no ML.NET (training stays in the CLI).</summary>
public sealed class SiloDependenciesTests
{
    [Fact]
    public void The_silo_ships_the_built_in_encoder_as_data_and_no_ml_net()
    {
        var silo = SiloProcess.BuiltAssembly("Silo", "Herald.Silo.dll");
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(silo, ".deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();

        Assert.Contains("Microsoft.ML.OnnxRuntime", libraries);
        Assert.DoesNotContain(libraries, l => l is "Microsoft.ML" or "Microsoft.ML.Core" || l.StartsWith("SentenceTransformers", StringComparison.Ordinal));
        Assert.True(new FileInfo(Path.Combine(Path.GetDirectoryName(silo)!, "models", "all-MiniLM-L6-v2", "model.onnx")).Length > 80_000_000);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(silo)!, "models", "all-MiniLM-L6-v2", "vocab.txt")));
    }
}
