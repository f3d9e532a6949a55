using Herald.Bench;

// Herald's benchmarks. Run in Release: dotnet run -c Release --project bench/Herald.Bench -- dag
var scenario = args.FirstOrDefault() ?? "dag";
switch (scenario)
{
    case "dag":
        await DagBenchmark.RunAsync(DagBenchmark.Settings.FromArgs(args.Skip(1).ToArray()));
        return 0;
    case "kafka":
        await KafkaBenchmark.RunAsync(Arg("--documents", 20_000), Arg("--rounds", 5), Arg("--warm-up", 200_000),
            [.. Text("--nodes", "5")!.Split(',').Select(int.Parse)], Text("--csv", null),
            Text("--modes", null) is { } modes ? [.. modes.Split(',').Select(m => Enum.Parse<Herald.Contracts.EmissionMode>(m, ignoreCase: true))] : KafkaBenchmark.AllModes);
        return 0;
    case "models":
        await ModelBenchmark.RunAsync(Repository(), Arg("--documents", 960), Arg("--rounds", 3), Arg("--in-flight", 64));
        return 0;
    case "remote":
        await RemoteBenchmark.RunAsync(Repository(), Arg("--documents", 4000), Arg("--rounds", 3), Arg("--batch", 16), Arg("--concurrency", 4), Arg("--cost-ms", 40));
        return 0;
    case "kafka-workers":
        await KafkaWorkerBenchmark.RunAsync(Repository(), Arg("--documents", 2000), Arg("--rounds", 3), Arg("--in-flight", 32), Arg("--partitions", 4), Arg("--cost-ms", 5));
        return 0;
    case "warehouse":
        await WarehouseBenchmark.RunAsync(Arg("--documents", 8000), Arg("--rounds", 5));
        return 0;
    case "fake-model-server":
        await FakeModelServer.RunAsync(Arg("--port", 8001), Arg("--cost-ms", 40));
        return 0;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (known: dag, kafka, models, remote, kafka-workers, warehouse)");
        return 2;
}

string? Text(string name, string? fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;

// The repository root (samples and pipelines live there), found upwards from the working directory.
static string Repository()
{
    for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "Orleans.sln"))) return folder.FullName;
    throw new InvalidOperationException("run the benchmarks from inside the Herald repository");
}
