using System.Diagnostics;
using Herald.Grains.Monitoring;
using System.Text.Json;
using Herald.Annotators;
using Herald.Grains.Documents;
using Herald.Grains.Hosting;
using Herald.Pipelines;
using Orleans.Concurrency;

namespace Herald.Grains.Annotators;

/// <summary>
/// A local, reentrant stateless worker per annotator version: calls never leave the silo, and concurrent
/// documents share the silo's single implementation instance (which batches, for models).
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class AnnotatorGrain(AnnotatorInstances instances, SharedDeadlines deadlines) : Grain, IAnnotatorGrain
{
    private IAnnotator? _annotator;

    public async Task<AnnotationOutput> AnnotateAsync(DocumentInput document, AnnotationRecord[] dependencies, TimeSpan timeout)
    {
        _annotator ??= instances.Get(this.GetPrimaryKeyString());
        var results = new Dictionary<string, DependencyResult>(dependencies.Length, StringComparer.Ordinal);
        foreach (var dependency in dependencies)
            results[dependency.Name] = new DependencyResult(dependency.Version, dependency.Output!.ValueJson, dependency.Output.SpansJson);

        var input = new AnnotatorInput(new AnnotatorDocument(document.Id, document.Text, document.Title, document.Json), results);
        // Current while the annotator runs: an HTTP or gRPC call it makes sends it on as traceparent, a kafka request as a header.
        using var span = HeraldTracing.Start("herald.annotate", _annotator is IRemoteAnnotator ? ActivityKind.Client : ActivityKind.Internal, document.TraceParent);
        span?.SetTag("herald.annotator", this.GetPrimaryKeyString()).SetTag("herald.document.id", document.Id);
        Annotation annotation;
        try
        {
            annotation = await _annotator.AnnotateAsync(input, deadlines.After(timeout));
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        return new AnnotationOutput(
            annotation.Value?.ToJsonString() ?? "null",
            annotation.Spans is { Count: > 0 } spans ? JsonSerializer.Serialize(spans) : null);
    }
}
