namespace Herald.Client;

/// <summary>The cluster answered with a problem (RFC 9457): its status, title, specific detail and, for rejected pipelines, every error.</summary>
public sealed class HeraldApiException(int status, string title, string detail, IReadOnlyList<string> errors)
    : Exception(errors.Count == 0 ? detail : $"{detail}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>No silo (or no Kafka broker) answered at the configured address; the message says which and where.</summary>
public sealed class HeraldUnreachableException(string message, Exception inner) : Exception(message, inner);
