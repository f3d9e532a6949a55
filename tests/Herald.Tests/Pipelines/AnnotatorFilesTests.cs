using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Pipelines;

namespace Herald.Tests.Pipelines;

/// <summary>A model file replaced in place is a new model: the pipeline's version changes, and a deployed name@version refuses it.</summary>
public sealed class AnnotatorFilesTests : IDisposable
{
    private static readonly string Models = Path.Combine(AppContext.BaseDirectory, "pipelines", "models");
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-model-files-").FullName;

    private const string Yaml = """
        pipeline: heads
        annotators:
          - { name: embedding, version: 1.0.0, kind: onnx-embedding, options: { model: all-MiniLM-L6-v2 } }
          - { name: relevance, version: 1.0.0, kind: onnx-classifier, requires: [embedding@^1], options: { model: head.onnx } }
        """;

    private (CompiledPipeline? Pipeline, List<string> Problems) Compile(AnnotatorInstances instances) =>
        PipelineLoading.Load(new AnnotatorKindCatalog([.. BuiltInKinds.All, .. ModelKinds.All]), Yaml, "heads.yaml", _folder, instances);

    private void Ship(string model) => File.Copy(Path.Combine(Models, model), Path.Combine(_folder, "head.onnx"), overwrite: true);

    [Fact]
    public async Task The_version_and_the_loaded_model_follow_the_files_content_not_its_name_or_timestamp()
    {
        Ship("relevance-1.onnx");
        var first = Compile(new AnnotatorInstances()).Pipeline!.VersionId;
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "head.onnx"), DateTime.UtcNow.AddMinutes(-5)); // same bytes, touched
        Assert.Equal(first, Compile(new AnnotatorInstances()).Pipeline!.VersionId);

        Ship("event-type-2.onnx"); // another model under the same file name, as a restarted silo would find it
        var instances = new AnnotatorInstances();
        var replaced = Compile(instances);
        Assert.Empty(replaced.Problems);
        Assert.NotEqual(first, replaced.Pipeline!.VersionId);
        // And it is the new model that runs, not one loaded from the same path before.
        Assert.Equal(["acquisition", "funding_round", "leadership_hire", "other"], await LabelsAsync(instances.Get("relevance@1.0.0")));
    }

    private static async Task<IEnumerable<string>> LabelsAsync(IAnnotator classifier)
    {
        var embedding = new JsonObject { ["vector"] = new JsonArray([.. Enumerable.Repeat(0.05, 384).Select(v => (JsonNode)v)]) };
        var input = new AnnotatorInput(new AnnotatorDocument("d-1", "text", null, """{"id":"d-1","text":"text"}"""),
            new Dictionary<string, DependencyResult> { ["embedding"] = new("1.0.0", embedding.ToJsonString(), null) });
        var value = (await classifier.AnnotateAsync(input, CancellationToken.None)).Value!;
        return value["distribution"]!.AsObject().Select(p => p.Key).Order();
    }

    [Fact]
    public void A_deployed_annotator_version_refuses_a_model_replaced_in_place()
    {
        var deployed = new AnnotatorInstances();
        Ship("relevance-1.onnx");
        Assert.Empty(Compile(deployed).Problems);
        Assert.Empty(Compile(deployed).Problems); // the same files again: the same annotator

        Ship("event-type-2.onnx");
        var (pipeline, problems) = Compile(deployed);
        Assert.Null(pipeline);
        var problem = Assert.Single(problems);
        Assert.StartsWith("heads.yaml:4:98: annotator 'relevance' (onnx-classifier): relevance@1.0.0 is already deployed, and the files its options name have changed since (head.onnx: ", problem);
        Assert.EndsWith("); an annotator version is immutable, so publish a new version", problem);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
