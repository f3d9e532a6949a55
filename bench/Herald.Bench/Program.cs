using Herald.Bench;

// Herald's benchmarks. Run in Release: dotnet run -c Release --project bench/Herald.Bench -- dag
var scenario = args.FirstOrDefault() ?? "dag";
switch (scenario)
{
    case "dag":
        await DagBenchmark.RunAsync(DagBenchmark.Settings.FromArgs(args.Skip(1).ToArray()));
        return 0;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (known: dag)");
        return 2;
}
