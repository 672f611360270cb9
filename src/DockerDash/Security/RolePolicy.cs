using DockerDash.Operations;
using DockerDash.Callers;

namespace DockerDash.Security;

/// <summary>Allows an operation when the caller's role on that engine reaches the table's least role. Not in the table: denied.</summary>
public sealed class RolePolicy : IOperationPolicy
{
    public bool IsAllowed(Caller caller, Operation operation, string engine) =>
        OperationPolicyTable.For(operation) is { } least && caller.User.RoleOn(engine) >= least;
}
