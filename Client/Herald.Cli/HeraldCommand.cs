using System.CommandLine;
using Herald.Cli.Commands;
using Spectre.Console;

namespace Herald.Cli;

/// <summary>The `herald` command tree. Output goes through <see cref="IAnsiConsole"/> so tests can read it.</summary>
public static class HeraldCommand
{
    public static RootCommand Create(IAnsiConsole console) => new("herald: Herald's command line")
    {
        PipelinesCommand.Create(console),
        ModelsCommand.Create(console),
        DevCommand.Create(console),
    };
}
