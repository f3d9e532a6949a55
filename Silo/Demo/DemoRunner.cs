using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Herald.Contracts;
using Herald.Grains.Documents;
using Herald.Kafka.Hosting;
using Herald.Kafka.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Silo.Demo;

public sealed record DemoOptions(string File, string Pipeline);

/// <summary>
/// The main job on embedded defaults, end to end through Kafka: produces a JSONL file into the input topic
/// (lines that are not documents too: they land in the dead-letter topic), then reads the central topic as
/// any downstream consumer would, printing each document's results as its `complete` record arrives, progress,
/// and a summary of the signals found. Stops the silo when every document has completed.
/// </summary>
internal sealed class DemoRunner(DemoOptions options, KafkaConnection kafka, IHostApplicationLifetime lifetime, ILogger<DemoRunner> logger)
    : BackgroundService
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult)) await started.Task.WaitAsync(stoppingToken);
        try
        {
            await Task.Run(() => Run(stoppingToken), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Demo failed");
            Environment.ExitCode = 1;
        }
        lifetime.StopApplication();
    }

    private void Run(CancellationToken cancellationToken)
    {
        // Lines that are not documents are produced anyway (without a key): Herald dead-letters them with the reason.
        var lines = File.ReadAllLines(options.File).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => (Id: IdOf(l), Json: l)).ToList();
        var expected = lines.Select(l => l.Id).OfType<string>().ToHashSet();

        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(kafka.Configure(new ConsumerConfig { GroupId = $"herald-demo-{Guid.NewGuid():n}" })).Build();
        // Start reading the central topic where it ends now: only this run's records count.
        var partitions = consumer.GetMetadataPartitions(kafka.Options.AnnotationsTopic);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High)));

        var clock = Stopwatch.StartNew();
        Produce(lines);
        Console.WriteLine($"Produced {lines.Count} messages from {options.File} to '{kafka.Options.InputTopic}' on {kafka.BootstrapServers}; " +
                          $"reading '{kafka.Options.AnnotationsTopic}' for pipeline '{options.Pipeline}'...");

        var results = new List<JsonElement>();
        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow + Patience;
        while (seen.Count < expected.Count && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } record) continue;
            if (Header(record, RecordHeaders.Event) != RecordEvents.Complete || Header(record, RecordHeaders.Pipeline) != options.Pipeline) continue;
            var document = JsonDocument.Parse(record.Message.Value).RootElement.Clone();
            if (!seen.Add(document.GetProperty("id").GetString()!)) continue; // at-least-once: a repeat is possible
            results.Add(document);
            Console.WriteLine(DemoFormat.Line(document));
            if (seen.Count % 50 == 0) Console.WriteLine($"  progress: {seen.Count}/{expected.Count} documents complete");
        }
        Console.WriteLine();
        Console.WriteLine(DemoFormat.Summary(results, expected.Count, lines.Count - expected.Count, clock.Elapsed));
        if (seen.Count < expected.Count) Environment.ExitCode = 1;
    }

    /// <summary>Produces every line, or fails with the broker's reason: a demo that silently lost input would report fewer documents.</summary>
    private void Produce(List<(string? Id, string Json)> lines)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(kafka.Configure(new ProducerConfig { EnableIdempotence = true, LingerMs = 5 })).Build();
        Error? failure = null;
        foreach (var (id, json) in lines)
            producer.Produce(kafka.Options.InputTopic, new Message<byte[]?, byte[]> { Key = id is null ? null : Encoding.UTF8.GetBytes(id), Value = Encoding.UTF8.GetBytes(json) },
                report => { if (report.Error.IsError) failure ??= report.Error; });
        var unsent = producer.Flush(TimeSpan.FromSeconds(30));
        if (failure is not null || unsent > 0)
            throw new InvalidOperationException($"could not produce {options.File} to '{kafka.Options.InputTopic}' on {kafka.BootstrapServers}: " +
                                                (failure?.Reason ?? $"{unsent} messages still unsent after 30 s"));
    }

    private static string? IdOf(string line)
    {
        try
        {
            return DocumentParser.Parse(line).Id;
        }
        catch (InvalidDocumentException)
        {
            return null;
        }
    }

    private static string? Header(ConsumeResult<byte[]?, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}

internal static class ConsumerMetadata
{
    public static List<TopicPartition> GetMetadataPartitions(this IConsumer<byte[]?, byte[]> consumer, string topic)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
    }
}
