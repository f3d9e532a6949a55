using System.CommandLine;
using Herald.Client;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// The options every cluster command shares (--url, --token, --kafka, with HERALD_URL, HERALD_TOKEN and HERALD_KAFKA as
/// defaults) and the error handling that turns client failures into helpful messages and exit codes.
/// </summary>
public sealed class ClusterConnection
{
    public const int Refused = 1, BadInput = 2, Unreachable = 3, Unauthorized = 4;

    public Option<string> Url { get; } = new("--url") { Description = "a silo's HTTP address (HERALD_URL)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HERALD_URL") ?? "http://127.0.0.1:8080" };
    public Option<string?> Token { get; } = new("--token") { Description = "the API token for changes (HERALD_TOKEN)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HERALD_TOKEN") };
    public Option<string> Kafka { get; } = new("--kafka") { Description = "Kafka bootstrap servers (HERALD_KAFKA)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HERALD_KAFKA") ?? "127.0.0.1:9092" };

    public Command With(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        command.Options.Add(Kafka);
        return command;
    }

    public HeraldClient Client(ParseResult parse) => HeraldClient.Create(new HeraldClientOptions
    {
        Url = new Uri(parse.GetValue(Url)!.TrimEnd('/') + "/"),
        ApiToken = parse.GetValue(Token),
        KafkaBootstrapServers = parse.GetValue(Kafka)!,
    });

    /// <summary>Runs a command body, printing client failures the way an operator needs them.</summary>
    public static async Task<int> RunAsync(IAnsiConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) console.MarkupLineInterpolated($"[red]error[/] {failure} (--url, --kafka)");
            return BadInput;
        }
        catch (UriFormatException e)
        {
            console.MarkupLineInterpolated($"[red]error[/] --url is not an address: {e.Message}");
            return BadInput;
        }
        catch (HeraldUnreachableException e)
        {
            console.MarkupLineInterpolated($"[red]error[/] {e.Message}");
            return Unreachable;
        }
        catch (HeraldApiException e) when (e.Status == 401)
        {
            console.MarkupLineInterpolated($"[red]error[/] the cluster refused the request: {e.Detail} (--token, HERALD_TOKEN)");
            return Unauthorized;
        }
        catch (HeraldApiException e)
        {
            console.MarkupLineInterpolated($"[red]error[/] {e.Detail}");
            foreach (var error in e.Errors) console.MarkupLineInterpolated($"  {error}");
            return Refused;
        }
        catch (OperationCanceledException e) when (e.CancellationToken.IsCancellationRequested)
        {
            return 0; // stopped on purpose (Ctrl+C); timeouts arrive as HeraldUnreachableException
        }
    }
}
