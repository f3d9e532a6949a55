using Herald.Annotators.Remote.Http;
using Herald.Annotators.Remote.Inference;
using Herald.Annotators.Remote.Workers;

namespace Herald.Annotators.Remote;

/// <summary>The kinds that call services outside the silo; a silo (and the CLI's validator) adds them to its catalog.</summary>
public static class RemoteKinds
{
    /// <summary>The kinds that need nothing from the silo: <c>http</c> and <c>inference</c>.</summary>
    public static IReadOnlyList<AnnotatorKind> All { get; } = [HttpAnnotator.Kind, InferenceAnnotator.Kind];

    /// <summary>The <c>kafka</c> kind over the silo's Kafka connection; with null, it validates options only (the CLI).</summary>
    public static AnnotatorKind KafkaWorkers(IWorkerTopics? topics) => KafkaWorkerAnnotator.Kind(topics);
}
