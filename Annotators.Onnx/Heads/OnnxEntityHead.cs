using System.Text.Json.Nodes;
using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Serving;

namespace Herald.Annotators.Onnx.Heads;

/// <summary>Options of the <c>onnx-entity-head</c> kind.</summary>
internal sealed class OnnxEntityHeadOptions
{
    /// <summary>The head (.onnx, relative to the pipeline file) that <c>herald models train</c> writes: entities-1.onnx.</summary>
    public string? Model { get; set; }

    /// <summary>The <c>onnx-embedding</c> dependency whose encoder's word states the head reads.</summary>
    public string Encoder { get; set; } = "embedding";

    public double MinScore { get; set; }

    public int Threads { get; set; } = 1;
}

/// <summary>
/// Companies (ORG), people (PER) and the appointee's job title (TITLE) from a head over the encoder's word states: the
/// encoder that made the document's embedding is not run again. Value <c>{"entities": [{"text", "label", "start",
/// "end", "score"}]}</c> plus spans, the shape of the <c>entities</c> kind's, so either can be the pipeline's.
/// </summary>
internal sealed class OnnxEntityHead(EntityHead head, string? trainedOn, OnnxEntityHeadOptions options) : IAnnotator
{
    public static AnnotatorKind Kind { get; } = new AnnotatorKind<OnnxEntityHeadOptions>(
        "onnx-entity-head", "companies, people and job titles from a head over the embedding encoder's word states", Create, Check);

    private static void Check(OnnxEntityHeadOptions options, AnnotatorSpec spec)
    {
        if (options.MinScore is < 0 or > 1) throw new AnnotatorConfigurationException("option 'minScore' must be between 0 and 1");
        ModelFiles.Resolve("model", options.Model, spec);
    }

    private static OnnxEntityHead Create(OnnxEntityHeadOptions options, AnnotatorSpec spec)
    {
        var path = ModelFiles.Resolve("model", options.Model, spec);
        var head = ModelCache.GetOrLoad((path, options.Threads), () => new EntityHead(new ClassificationHead(path, null, null, options.Threads, 1, TimeSpan.Zero)), path);
        return new OnnxEntityHead(head, EncodedDocument.EncoderOf(head.Model), options);
    }

    public async ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken)
    {
        var (states, offset) = await EncodedDocument.WordsAsync(input, options.Encoder, trainedOn, cancellationToken);
        var entities = head.Recognise(states, offset, options.MinScore);
        var list = new JsonArray([.. entities.Select(e => (JsonNode)new JsonObject
        {
            ["text"] = e.Text, ["label"] = e.Label, ["start"] = e.Start, ["end"] = e.End, ["score"] = e.Score,
        })]);
        return new Annotation(new JsonObject { ["entities"] = list }, [.. entities.Select(e => new AnnotationSpan(e.Start, e.End, e.Label, e.Score, e.Text))]);
    }
}
