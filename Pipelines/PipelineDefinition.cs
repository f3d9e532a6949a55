using System.Text.Json.Nodes;
using Herald.Pipelines.Conditions;
using Semver;

namespace Herald.Pipelines;

/// <summary>Where something was written: the file and 1-based line and column.</summary>
public readonly record struct SourceLocation(string Source, int Line, int Column)
{
    public PipelineProblem Problem(string message) => new(Source, Line, Column, message);
}

/// <summary>
/// A dependency as declared: <c>embedding@^1.0</c> (a bare name means any version). <c>sentiment@^1?</c> is optional:
/// when it fails or is skipped, its dependant still runs, without its value.
/// </summary>
public sealed record DependencyDeclaration(string Name, string RangeText, SemVersionRange Range, SourceLocation Location, bool Optional = false)
{
    public override string ToString() => $"{Name}@{RangeText}{(Optional ? "?" : "")}";
}

/// <summary>One annotator of a pipeline, as declared in YAML (before dependency resolution).</summary>
public sealed record AnnotatorDeclaration(
    string Name,
    SemVersion Version,
    string Kind,
    IReadOnlyList<DependencyDeclaration> Requires,
    Condition? When,
    TimeSpan Timeout,
    int Retries,
    JsonObject Options,
    SourceLocation Location,
    SourceLocation OptionsLocation)
{
    public string Id => $"{Name}@{Version}";
}

/// <summary>A pipeline as declared: a tag, its share of the input, and its annotators.</summary>
public sealed record PipelineDeclaration(
    string Tag, string? Description, PipelineInput Input, IReadOnlyList<AnnotatorDeclaration> Annotators, string Source, string BaseDirectory, string Text);
