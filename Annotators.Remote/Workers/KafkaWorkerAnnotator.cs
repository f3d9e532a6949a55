using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Herald.Annotators.Remote.Resilience;

namespace Herald.Annotators.Remote.Workers;

/// <summary>
/// The <c>kafka</c> kind: when the annotator is ready for a document, Herald produces a request (the document and its
/// dependencies' values, keyed by document id, with a correlation id) to the request topic; workers in any language
/// consume it in their own group and produce the result to the result topic; the document resumes when it arrives.
/// Each attempt has its own correlation id, so a late or duplicate result is ignored. Herald gated the document on its
/// dependencies already: a worker sees only requests that are ready for it.
/// </summary>
internal sealed partial class KafkaWorkerAnnotator : IRemoteAnnotator, IMeasuredAnnotator
{
    /// <summary>The kind; without <paramref name="topics"/> (the CLI's validator) annotators validate their options and cannot run.</summary>
    public static AnnotatorKind Kind(IWorkerTopics? topics) => new AnnotatorKind<KafkaWorkerOptions>(
        "kafka", "workers in any language behind a Kafka request topic, answering on a result topic",
        (options, spec) => new KafkaWorkerAnnotator(spec, options, topics));

    private readonly string _annotator;
    private readonly string _requestTopic;
    private readonly string _resultTopic;
    private readonly IWorkerTopics? _topics;
    private readonly RemoteCalls _calls;

    private KafkaWorkerAnnotator(AnnotatorSpec spec, KafkaWorkerOptions options, IWorkerTopics? topics)
    {
        _requestTopic = TopicName(options.RequestTopic, "requestTopic");
        _resultTopic = TopicName(options.ResultTopic, "resultTopic");
        if (_requestTopic == _resultTopic) throw new AnnotatorConfigurationException("options 'requestTopic' and 'resultTopic' must name different topics");
        options.ValidateLimits();
        _annotator = $"{spec.Name}@{spec.Version}";
        _topics = topics;
        Endpoint = topics?.Describe(_requestTopic) ?? $"kafka topic {_requestTopic}";
        _calls = new RemoteCalls(_annotator, Endpoint, options);
    }

    private static string TopicName(string? name, string option) =>
        string.IsNullOrWhiteSpace(name) ? throw new AnnotatorConfigurationException($"option '{option}' is required")
        : TopicPattern().IsMatch(name) ? name
        : throw new AnnotatorConfigurationException($"option '{option}' is not a valid Kafka topic name: '{name}' (letters, digits, '.', '_', '-'; at most 249)");

    [GeneratedRegex("^[A-Za-z0-9._-]{1,249}$")]
    private static partial Regex TopicPattern();

    public string Endpoint { get; }
    public CircuitState Circuit => _calls.Circuit;

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var topics = _topics ?? throw new InvalidOperationException("the kafka kind runs only in a silo connected to Kafka");
        var correlation = Guid.NewGuid().ToString("n");
        var request = RemoteJson.Request(input, writer =>
        {
            writer.WriteString("correlationId", correlation);
            writer.WriteStartObject("annotator");
            writer.WriteString("name", _annotator[.._annotator.IndexOf('@')]);
            writer.WriteString("version", _annotator[(_annotator.IndexOf('@') + 1)..]);
            writer.WriteEndObject();
        });
        var result = await _calls.CallAsync(token => topics.RequestAsync(_requestTopic, _resultTopic, input.Document.Id, correlation, _annotator, request, token), cancellationToken);
        return RemoteJson.Answer(result, $"the worker of {Endpoint}");
    }

    public Task CheckAsync(CancellationToken cancellationToken) =>
        _topics?.CheckAsync(_requestTopic, _resultTopic, cancellationToken) ?? Task.CompletedTask;

    public void MeasureWith(Meter meter) => _calls.MeasureWith(meter);
}
