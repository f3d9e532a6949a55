using Orleans.Concurrency;

namespace Herald.Grains.Control;

/// <summary>
/// What operators changed at run time, cluster-wide: paused annotators, and pipelines deployed (tag to YAML) or retired
/// (tag to null) through the API. Every silo reads it each second and applies it; <see cref="Version"/> grows with each change
/// within an <see cref="Epoch"/>, which is new whenever the state had to start over (its storage lost it).
/// </summary>
[GenerateSerializer, Immutable, Alias("herald.control-state")]
public sealed record ControlState(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlySet<string> Paused,
    [property: Id(2)] IReadOnlyDictionary<string, string?> Deployments,
    [property: Id(3)] string Epoch)
{
    public static string PausedKey(string pipeline, string annotator) => $"{pipeline}/{annotator}";
}

public interface IPipelineControlGrain : IGrainWithStringKey
{
    const string Key = "control";

    Task<ControlState> SetPausedAsync(string pipeline, string annotator, bool paused);

    /// <summary>Deploys a validated pipeline definition (YAML) under its tag, or retires the tag with null.</summary>
    Task<ControlState> SetDeploymentAsync(string pipeline, string? yaml);

    [AlwaysInterleave]
    Task<ControlState> GetAsync();
}
