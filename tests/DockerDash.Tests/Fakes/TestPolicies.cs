using DockerDash.Operations;

namespace DockerDash.Tests.Fakes;

/// <summary>A policy that denies the operations named, and allows the rest.</summary>
public sealed class DenyingPolicy(params Operation[] denied) : IOperationPolicy
{
    public bool IsAllowed(Caller caller, Operation operation, string engine) => !denied.Contains(operation);
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
