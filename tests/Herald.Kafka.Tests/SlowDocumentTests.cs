using System.Text.Json.Nodes;
using EmissionMode = Herald.Contracts.EmissionMode;
using Herald.Annotators;
using Herald.Grains.Hosting;
using Herald.Kafka.Embedded;
using Herald.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static Herald.Kafka.Tests.KafkaTestClient;

namespace Herald.Kafka.Tests;

/// <summary>
/// One document that takes long must not stop its partition: the documents behind it run and publish, up to the
/// in-flight limit, while the committed offset waits at the slow one (the contiguous low-water mark).
/// </summary>
public sealed class SlowDocumentTests
{
    [Fact]
    public async Task Documents_behind_a_slow_one_finish_while_the_commit_waits_for_it()
    {
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(1);
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        var fast = Enumerable.Range(0, 30).Select(i => $"fast-{i}").ToList();
        await kafka.ProduceDocumentsAsync(HeraldTopics.Input, fast.Prepend("slow-0").Select(id => KafkaPipelineCluster.Document(id)));
        var folder = Directory.CreateTempSubdirectory("herald-slow-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "gated.yaml"), """
            pipeline: gated
            annotators:
              - { name: gate, version: 1.0.0, kind: gate, timeout: 20s, retries: 0 }
            """);

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<AnnotatorKind>(GateAnnotator.Kind);
            silo.AddHerald(o => o.PipelinesPath = folder).AddHeraldKinds(Herald.Annotators.Onnx.ModelKinds.All)
                .AddHeraldKafka(o =>
                {
                    o.BootstrapServers = broker.BootstrapServers;
                    o.SessionTimeout = TimeSpan.FromSeconds(3); // a silo that dies unannounced loses its partitions this fast
                    o.Emit = EmissionMode.Complete;
                    o.MaxInFlightPerPartition = 8; // far fewer than the documents behind the slow one
                });
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            // Every fast document completes while the slow one is held.
            var records = kafka.ReadUntil(HeraldTopics.Annotations, rs => fast.All(id => rs.Any(r => r.Message.Key == id)), TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(records, r => r.Message.Key == "slow-0");
            Assert.True(GateAnnotator.Held.Task.IsCompleted is false);
            await Task.Delay(1500); // past an auto-commit interval: nothing after the slow document's offset 0 may be committed
            Assert.Equal(0, kafka.Committed("herald-gated", HeraldTopics.Input, 1)[0]);

            GateAnnotator.Held.SetResult();
            records = kafka.ReadUntil(HeraldTopics.Annotations, rs => rs.Any(r => r.Message.Key == "slow-0"), TimeSpan.FromSeconds(60));
            Assert.Equal("complete", Header(records.Single(r => r.Message.Key == "slow-0"), "herald-event"));
            await WaitUntilAsync(() => kafka.Committed("herald-gated", HeraldTopics.Input, 1)[0] == fast.Count + 1, TimeSpan.FromSeconds(30));
        }
        finally
        {
            GateAnnotator.Held.TrySetResult();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Holds documents whose id starts with "slow" until the test releases them; passes the rest at once.</summary>
    private sealed class GateAnnotator : IAnnotator
    {
        public sealed class Options;

        public static readonly TaskCompletionSource Held = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static AnnotatorKind Kind { get; } = new AnnotatorKind<Options>("gate", "holds slow documents", (_, _) => new GateAnnotator());

        public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
        {
            if (input.Document.Id.StartsWith("slow", StringComparison.Ordinal)) await Held.Task.WaitAsync(cancellationToken);
            return Annotation.Of(new JsonObject { ["passed"] = true });
        }
    }
}
