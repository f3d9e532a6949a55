using Herald.Annotators.Remote.Resilience;

namespace Herald.Annotators.Remote.Workers;

/// <summary>Options of the <c>kafka</c> kind: workers consume <see cref="RequestTopic"/> and answer on <see cref="ResultTopic"/>.</summary>
public sealed class KafkaWorkerOptions : RemoteOptions
{
    /// <summary>The topic Herald produces a request to once the annotator is ready for a document (keyed by document id).</summary>
    public string? RequestTopic { get; set; }

    /// <summary>The topic workers produce results to; shared by any number of annotators (results carry their correlation id).</summary>
    public string ResultTopic { get; set; } = "herald.worker-results";
}
