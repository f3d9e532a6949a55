using Herald.Cli;
using Spectre.Console;

namespace Herald.Tests.Cli;

/// <summary>Runs the `herald` command tree in process, capturing what it prints.</summary>
internal static class HeraldCli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 400;
        var exitCode = await HeraldCommand.Create(console).Parse(args).InvokeAsync();
        return (exitCode, output.ToString());
    }
}
