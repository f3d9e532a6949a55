using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Heads;
using Herald.Annotators.Onnx.TokenClassification;

namespace Herald.Annotators.Onnx;

/// <summary>The model-backed kinds every Herald silo (and the CLI's validator) knows.</summary>
public static class ModelKinds
{
    public static IReadOnlyList<AnnotatorKind> All { get; } = [OnnxEmbeddingAnnotator.Kind, OnnxClassifier.Kind, OnnxTokenClassifier.Kind, OnnxEntityHead.Kind, OnnxRoleHead.Kind];
}
