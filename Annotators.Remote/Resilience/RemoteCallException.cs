namespace Herald.Annotators.Remote.Resilience;

/// <summary>A remote call that failed; the message names the endpoint and what it answered, and becomes the annotation's error.</summary>
public sealed class RemoteCallException(string message, Exception? inner = null) : Exception(message, inner);
