namespace DockerDash.Operations;

/// <summary>An operation that did not happen, with a message fit to show the user as it is.</summary>
public class EngineOperationException(string message, EngineFailure failure) : Exception(message)
{
    public EngineFailure Failure { get; } = failure;
}

public enum EngineFailure
{
    /// <summary>The engine refused: its own words are the message ("container ... is not running").</summary>
    Refused,

    /// <summary>The container, image or engine named does not exist.</summary>
    NotFound,

    /// <summary>The engine could not be reached.</summary>
    Unreachable,

    /// <summary>The caller may not do this.</summary>
    Denied,

    /// <summary>The request itself is not valid; nothing was sent.</summary>
    Invalid,
}

public sealed class OperationDeniedException(Operation operation, string engine)
    : EngineOperationException($"You may not {operation.Name} on engine '{engine}'.", EngineFailure.Denied);
