using Herald.Bench;

// Herald's benchmarks. Run in Release: dotnet run -c Release --project bench/Herald.Bench -- dag
var scenario = args.FirstOrDefault() ?? "dag";
switch (scenario)
{
    case "dag":
        await DagBenchmark.RunAsync(DagBenchmark.Settings.FromArgs(args.Skip(1).ToArray()));
        return 0;
    case "kafka":
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
        await KafkaBenchmark.RunAsync(Arg("--documents", 20_000), Arg("--rounds", 3));
        return 0;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (known: dag, kafka)");
        return 2;
}
