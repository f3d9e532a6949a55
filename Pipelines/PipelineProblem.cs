namespace Herald.Pipelines;

/// <summary>One thing wrong with a pipeline definition, located in its source (1-based line and column; 0 when unknown).</summary>
public sealed record PipelineProblem(string Source, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}: {Message}" : $"{Source}: {Message}";
}

/// <summary>Thrown when definitions cannot be deployed; carries every problem, not just the first.</summary>
public sealed class PipelineValidationException(IReadOnlyList<PipelineProblem> problems)
    : Exception("invalid pipeline definition:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<PipelineProblem> Problems { get; } = problems;
}
