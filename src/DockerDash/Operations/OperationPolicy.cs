namespace DockerDash.Operations;

/// <summary>Decides whether a caller may perform an operation on an engine. Consulted only by <see cref="OperationGate"/>.</summary>
public interface IOperationPolicy
{
    bool IsAllowed(Caller caller, Operation operation, string engine);
}

/// <summary>
/// Until accounts exist every caller may do everything, so the deployment files publish the
/// dashboard on 127.0.0.1 only. Users and roles replace this policy, not the gate.
/// </summary>
public sealed class AllowEveryonePolicy : IOperationPolicy
{
    public bool IsAllowed(Caller caller, Operation operation, string engine) => true;
}
