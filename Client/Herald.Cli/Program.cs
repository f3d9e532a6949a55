using Herald.Cli;
using Spectre.Console;

return await HeraldCommand.Create(AnsiConsole.Console).Parse(args).InvokeAsync();
