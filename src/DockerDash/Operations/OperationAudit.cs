
namespace DockerDash.Operations;

public enum OperationOutcome
{
    Succeeded,
    Failed,
    Denied,
}

/// <summary>One decided operation: who, what, where, and how it ended.</summary>
public sealed record OperationRecord(
    DateTimeOffset Time,
    string Caller,
    string? RemoteAddress,
    string Operation,
    string Engine,
    string? Target,
    OperationOutcome Outcome,
    string? Message);

/// <summary>Where the gate reports every change and every denial.</summary>
public interface IOperationAudit
{
    void Record(OperationRecord record);
}

/// <summary>Writes the audit trail to the log (category <c>DockerDash.Audit</c>).</summary>
public sealed class LoggingOperationAudit(ILoggerFactory loggers) : IOperationAudit
{
    private readonly ILogger _logger = loggers.CreateLogger("DockerDash.Audit");

    public void Record(OperationRecord record) =>
        _logger.LogInformation(
            "{Outcome} {Operation} on {Engine}/{Target} by {Caller} from {Address}{Message}",
            record.Outcome, record.Operation, record.Engine, record.Target ?? "-", record.Caller, record.RemoteAddress ?? "-",
            record.Message is null ? "" : ": " + record.Message);
}
