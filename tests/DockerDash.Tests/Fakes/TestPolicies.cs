using DockerDash.Operations;
using DockerDash.Callers;

namespace DockerDash.Tests.Fakes;

/// <summary>A policy that allows everything: for component tests about something other than permissions.</summary>
public sealed class AllowAllPolicy : IOperationPolicy
{
    public bool IsAllowed(Caller caller, Operation operation, string engine) => true;
}

/// <summary>A policy that denies the operations in <see cref="Denied"/> (changeable at any time, as a role change would), and allows the rest.</summary>
public sealed class DenyingPolicy(params Operation[] denied) : IOperationPolicy
{
    public HashSet<Operation> Denied { get; } = [.. denied];

    public bool IsAllowed(Caller caller, Operation operation, string engine) => !Denied.Contains(operation);
}

/// <summary>Keeps every audit record in memory.</summary>
public sealed class RecordingAudit : IOperationAudit
{
    private readonly List<OperationRecord> _records = [];

    public IReadOnlyList<OperationRecord> Records
    {
        get { lock (_records) { return _records.ToList(); } }
    }

    public void Record(OperationRecord record)
    {
        lock (_records)
        {
            _records.Add(record);
        }
    }
}
