namespace DockerDash.Operations;

/// <summary>The gate said no: the caller's role does not allow this operation here.</summary>
public sealed class OperationDeniedException(Operation operation, string engine)
    : OperationFailedException($"You may not {operation.Name} on engine '{engine}'.", OperationFailure.Denied);
