namespace Herald.Client;

/// <summary>A deployed pipeline (<c>GET /api/pipelines</c>): its annotators in order, what each requires and when it runs.</summary>
public sealed record PipelineInfo(string Tag, string Version, string? Description, string Source, IReadOnlyList<AnnotatorInfo> Annotators, string Yaml);

/// <summary>
/// One annotator of a pipeline. <see cref="Requires"/> names its dependencies, an optional one ending in <c>?</c>;
/// <see cref="When"/> is its condition, if any.
/// </summary>
public sealed record AnnotatorInfo(string Name, string Version, string Kind, IReadOnlyList<string> Requires, string? When, double TimeoutSeconds, int Retries);

/// <summary>A pipeline version the cluster took, and how many of its silos applied it when the call returned.</summary>
public sealed record Deployment(string Tag, string Version, int AppliedBySilos, int Silos);

/// <summary>A retired pipeline: new documents for it are refused; running ones finish.</summary>
public sealed record Retirement(string Tag, bool Retired, int AppliedBySilos, int Silos);

/// <summary>An annotator paused or resumed across the cluster.</summary>
public sealed record AnnotatorPause(string Pipeline, string Annotator, bool Paused, int AppliedBySilos, int Silos);
