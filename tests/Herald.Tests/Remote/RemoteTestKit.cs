using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Remote;

namespace Herald.Tests.Remote;

/// <summary>Builds remote annotators through their kinds, as a pipeline would, and the inputs they are called with.</summary>
internal static class RemoteTestKit
{
    public static AnnotatorKind Kind(string name) => RemoteKinds.All.Single(k => k.Name == name);

    public static IRemoteAnnotator Create(string kind, JsonObject options, string name = "remote") =>
        (IRemoteAnnotator)Kind(kind).Create(new AnnotatorSpec(name, "1.0.0", kind, options, Path.GetTempPath()));

    public static AnnotatorInput Input(string text, params (string Name, string ValueJson)[] dependencies)
    {
        var id = Guid.NewGuid().ToString("n");
        var json = JsonSerializer.Serialize(new { id, text, source = "test" });
        return new AnnotatorInput(new AnnotatorDocument(id, text, null, json),
            dependencies.ToDictionary(d => d.Name, d => new DependencyResult("1.2.0", d.ValueJson, null)));
    }

    public static string Json(this Annotation annotation) => annotation.Value?.ToJsonString() ?? "null";
}
