using System.CommandLine;
using Herald.Contracts;
using Herald.Kafka.Embedded;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald dev broker</c>: the embedded Kafka-protocol broker (librdkafka's mock cluster) in a process of its own, so
/// several silos on one machine can share it. In memory and bounded (about 5 MiB per partition): for development
/// and tests, never production.
/// </summary>
public static class DevCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var port = new Option<int>("--port") { Description = "loopback port to listen on", DefaultValueFactory = _ => 9092 };
        var partitions = new Option<int>("--partitions") { Description = "partitions of each topic created", DefaultValueFactory = _ => 8 };
        var topics = new Option<string[]>("--topic")
        {
            Description = "topics to create (repeatable)",
            DefaultValueFactory = _ => [DefaultTopics.Input, DefaultTopics.Annotations, DefaultTopics.DeadLetters],
            AllowMultipleArgumentsPerToken = true,
        };
        var broker = new Command("broker", "run the embedded Kafka-protocol broker on loopback until stopped (Ctrl+C)") { port, partitions, topics };
        broker.SetAction((parse, cancellation) => RunBrokerAsync(console, parse.GetValue(port), parse.GetValue(partitions), parse.GetValue(topics)!, cancellation));
        return new Command("dev", "development helpers") { broker };
    }

    private static async Task<int> RunBrokerAsync(IAnsiConsole console, int port, int partitions, string[] topics, CancellationToken cancellation)
    {
        if (partitions is < 1 or > 1000)
        {
            console.MarkupLine("[red]error[/] --partitions must be between 1 and 1000");
            return 2;
        }
        await using var broker = new EmbeddedKafkaBroker(port);
        foreach (var topic in topics) broker.CreateTopic(topic, partitions);
        console.MarkupLineInterpolated($"broker ready on {broker.BootstrapServers}: topics {string.Join(", ", topics)} with {partitions} partitions each");
        console.MarkupLine("[yellow]in memory and bounded (about 5 MiB per partition, older records vanish): for development and tests only[/]");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("broker stopped");
        }
        return 0;
    }
}
