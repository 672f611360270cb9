namespace DockerDash.Operations;

/// <summary>
/// An operation that did not happen (on an engine, a registry or DockerDash itself), with a message fit to
/// show the user as it is. Every service throws it; pages, the hub and endpoints show its message.
/// </summary>
public class OperationFailedException(string message, OperationFailure failure) : Exception(message)
{
    public OperationFailure Failure { get; } = failure;
}
