using Herald.Annotators.Remote.Http;
using Herald.Annotators.Remote.Inference;

namespace Herald.Annotators.Remote;

/// <summary>The kinds that call services outside the silo; a silo (and the CLI's validator) adds them to its catalog.</summary>
public static class RemoteKinds
{
    public static IReadOnlyList<AnnotatorKind> All { get; } = [HttpAnnotator.Kind, InferenceAnnotator.Kind];
}
