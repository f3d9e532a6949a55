namespace Herald.Cli.Training.Entities;

/// <summary>What one training run of the entity and role heads measured, for the model card and the exit code.</summary>
internal sealed record EntityReport(
    string Encoder, int TrainCount, int HeldOutCount, IReadOnlyDictionary<string, int> LabelCounts, IReadOnlyDictionary<string, int> RoleCounts,
    EntityEvaluation.Result HeldOut, EntityEvaluation.Result? Samples, string? SamplesPath);
