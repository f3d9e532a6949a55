using Herald.Cli;
using Spectre.Console;

var console = AnsiConsole.Create(new AnsiConsoleSettings());
// Redirected to a file or a CI log, Spectre would wrap at its default 80 columns: one message, one line, for grep.
if (Console.IsOutputRedirected) console.Profile.Width = 4096;
return await HeraldCommand.Create(console).Parse(args).InvokeAsync();
