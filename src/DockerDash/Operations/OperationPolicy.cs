
using DockerDash.Callers;

namespace DockerDash.Operations;

/// <summary>Decides whether a caller may perform an operation on an engine. Consulted only by <see cref="OperationGate"/>.</summary>
public interface IOperationPolicy
{
    bool IsAllowed(Caller caller, Operation operation, string engine);
}
