namespace DockerDash.Operations;

/// <summary>Why an operation did not happen.</summary>
public enum OperationFailure
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
