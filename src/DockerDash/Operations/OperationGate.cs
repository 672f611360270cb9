using System.Net;
using Docker.DotNet;
using DockerDash.Engines;
using DockerDash.Callers;

namespace DockerDash.Operations;

/// <summary>
/// The one path from pages, hub and endpoints to an engine. Every read and every change is
/// authorised here by the policy, reported to the audit, and its failures turned into messages
/// fit for the user. Nothing else in the app holds an engine client.
/// </summary>
public sealed class OperationGate(EngineDirectory engines, IOperationPolicy policy, IOperationAudit audit, TimeProvider time)
{
    public bool IsAllowed(Caller caller, Operation operation, string engine) => policy.IsAllowed(caller, operation, engine);

    /// <summary>Throws <see cref="OperationDeniedException"/> (and audits it) unless the caller may do this.</summary>
    public void Authorize(Caller caller, Operation operation, string engine, string? target = null)
    {
        if (!policy.IsAllowed(caller, operation, engine))
        {
            var denied = new OperationDeniedException(operation, engine);
            Audit(caller, operation, engine, target, OperationOutcome.Denied, denied.Message);
            throw denied;
        }
    }

    public Task RunAsync(Caller caller, Operation operation, string engine, string? target, Func<IDockerClient, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync(caller, operation, engine, target, async (client, ct) =>
        {
            await call(client, ct);
            return true;
        }, cancellationToken);

    public Task<T> RunAsync<T>(Caller caller, Operation operation, string engine, string? target, Func<IDockerClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        RunOnAsync(caller, operation, engine, target, c => c.Client, call, cancellationToken);

    /// <summary>The same, with the engine's plain HTTP client: for raw streams (log frames, stats, exports).</summary>
    public Task<T> RunHttpAsync<T>(Caller caller, Operation operation, string engine, string? target, Func<HttpClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        RunOnAsync(caller, operation, engine, target, c => c.Http, call, cancellationToken);

    private async Task<T> RunOnAsync<TClient, T>(Caller caller, Operation operation, string engine, string? target, Func<EngineConnection, TClient?> clientOf, Func<TClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where TClient : class
    {
        Authorize(caller, operation, engine, target);
        var connection = engines.Find(engine)
            ?? throw Failed(caller, operation, engine, target, new OperationFailedException($"There is no engine named '{engine}'.", OperationFailure.NotFound));
        var client = clientOf(connection)
            ?? throw Failed(caller, operation, engine, target, new OperationFailedException(
                $"Engine '{engine}' is {connection.State.Status.ToString().ToLowerInvariant()}: {connection.State.Reason ?? "not connected yet"}.", OperationFailure.Unreachable));
        try
        {
            var result = await call(client, cancellationToken);
            if (operation.Kind != OperationKind.Read)
            {
                Audit(caller, operation, engine, target, OperationOutcome.Succeeded, null);
            }

            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationDeniedException)
        {
            throw;
        }
        catch (OperationFailedException e)
        {
            // A step of the call said no in its own words (a rolled-back update, a pull that failed): audited as failed too.
            throw Failed(caller, operation, engine, target, e);
        }
        catch (DockerApiException e)
        {
            var failure = e.StatusCode == HttpStatusCode.NotFound ? OperationFailure.NotFound : OperationFailure.Refused;
            throw Failed(caller, operation, engine, target, new OperationFailedException(EngineErrors.EngineMessage(e), failure));
        }
        catch (Exception e)
        {
            throw Failed(caller, operation, engine, target, new OperationFailedException(
                $"Engine '{engine}': {EngineErrors.Describe(e, connection.Endpoint)}", OperationFailure.Unreachable));
        }
    }

    /// <summary>
    /// An operation on DockerDash itself (users, tokens, audit): authorised on scope <c>*</c> and
    /// audited like an engine call. A failure's message is the exception's, for the user.
    /// </summary>
    public async Task<T> RunAppAsync<T>(Caller caller, Operation operation, string? target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        Authorize(caller, operation, AppOperations.Scope, target);
        try
        {
            var result = await call(cancellationToken);
            if (operation.Kind != OperationKind.Read)
            {
                Audit(caller, operation, AppOperations.Scope, target, OperationOutcome.Succeeded, null);
            }

            return result;
        }
        catch (OperationFailedException e)
        {
            throw Failed(caller, operation, AppOperations.Scope, target, e);
        }
    }

    /// <summary>
    /// Records that <paramref name="caller"/> was shown what <paramref name="operation"/> guards (secrets unmasked), after
    /// <see cref="IsAllowed"/> said yes; or how a long operation the gate let through (a console session) ended.
    /// </summary>
    public void AuditShown(Caller caller, Operation operation, string engine, string? target, string? message = null) =>
        Audit(caller, operation, engine, target, OperationOutcome.Succeeded, message);

    /// <summary>Records how an operation made of many gated steps ended (a whole-project action), after <see cref="Authorize"/> let it start.</summary>
    public void AuditEnded(Caller caller, Operation operation, string engine, string? target, bool succeeded, string message) =>
        Audit(caller, operation, engine, target, succeeded ? OperationOutcome.Succeeded : OperationOutcome.Failed, message);

    private OperationFailedException Failed(Caller caller, Operation operation, string engine, string? target, OperationFailedException failure)
    {
        Audit(caller, operation, engine, target, OperationOutcome.Failed, failure.Message);
        return failure;
    }

    private void Audit(Caller caller, Operation operation, string engine, string? target, OperationOutcome outcome, string? message) =>
        audit.Record(new OperationRecord(time.GetUtcNow(), caller.DisplayName, caller.RemoteAddress, operation.Name, engine, target, outcome, message));
}
