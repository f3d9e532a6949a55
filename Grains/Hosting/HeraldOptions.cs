using Microsoft.Extensions.Options;

namespace Herald.Grains.Hosting;

/// <summary>Configuration section <c>Herald</c>.</summary>
public sealed class HeraldOptions
{
    public const string Section = "Herald";

    /// <summary>A folder of pipeline YAML files (or a single file) loaded at silo start.</summary>
    public string PipelinesPath { get; set; } = "pipelines";

    /// <summary>
    /// With the default in-memory document storage: how many completed documents each silo remembers. Older ones
    /// are forgotten, so a resubmission of one of those runs again. Configure a storage provider to remember all.
    /// </summary>
    public int CompletedDocumentsInMemory { get; set; } = 100_000;
}

/// <summary>Names of the grain storage providers Herald uses.</summary>
public static class HeraldStorage
{
    /// <summary>Completed document states: what makes resubmission idempotent and lookups possible after completion.</summary>
    public const string Documents = "herald-documents";

    /// <summary>Run-time changes made through the API (pauses, deployments): small, and never evicted.</summary>
    public const string Control = "herald-control";
}

/// <summary>Fails silo start-up, naming every problem, when Herald's own options cannot work.</summary>
internal sealed class HeraldOptionsValidator : IValidateOptions<HeraldOptions>
{
    public ValidateOptionsResult Validate(string? name, HeraldOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.PipelinesPath)) problems.Add("Herald:PipelinesPath must name a folder or file of pipeline definitions");
        if (options.CompletedDocumentsInMemory < 1)
            problems.Add($"Herald:CompletedDocumentsInMemory ({options.CompletedDocumentsInMemory}) must be at least 1");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
