using System.CommandLine;
using Herald.Cli.Commands;
using Spectre.Console;

namespace Herald.Cli;

/// <summary>The `herald` command tree. Output goes through <see cref="IAnsiConsole"/> so tests can read it.</summary>
public static class HeraldCommand
{
    public static RootCommand Create(IAnsiConsole console)
    {
        var cluster = new ClusterConnection();
        var root = new RootCommand("herald: Herald's command line")
        {
            SubmitCommand.Create(console, cluster),
            PipelinesCommand.Create(console, cluster),
            ModelsCommand.Create(console),
            DevCommand.Create(console),
            BackfillCommand.Create(console, cluster),
        };
        foreach (var command in ClusterCommands.Create(console, cluster)) root.Subcommands.Add(command);
        foreach (var command in WarehouseCommands.Create(console, cluster)) root.Subcommands.Add(command);
        return root;
    }
}
