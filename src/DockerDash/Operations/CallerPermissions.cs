
using DockerDash.Callers;

namespace DockerDash.Operations;

/// <summary>
/// What the current caller may do, for deciding which buttons and pages to show. Showing is all it
/// decides: every operation is still checked by the gate when it runs.
/// </summary>
public sealed class CallerPermissions(OperationGate gate, CallerContext caller)
{
    public bool Can(Operation operation, string scope) => gate.IsAllowed(caller.Current, operation, scope);

    public bool CanAnywhere(Operation operation, IEnumerable<string> scopes) => scopes.Any(scope => Can(operation, scope));

    public bool CanManage(Operation appOperation) => Can(appOperation, AppOperations.Scope);
}
