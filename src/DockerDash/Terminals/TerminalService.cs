using Docker.DotNet;
using Docker.DotNet.Models;
using DockerDash.Callers;
using DockerDash.Components;
using DockerDash.Engines;
using DockerDash.Operations;
using Microsoft.Extensions.Options;
using static DockerDash.Operations.EngineOperations;

namespace DockerDash.Terminals;

/// <summary>
/// Opens consoles for the caller of the current scope: <c>container.exec</c> or <c>container.attach</c> through the
/// gate (Admin by default), at most N per user, recorded, and audited when they open and when they end.
/// </summary>
public sealed class TerminalService(
    OperationGate gate, EngineDirectory engines, CallerContext caller, TerminalSessions sessions, TerminalRecordings recordings, IOptions<TerminalOptions> options, TimeProvider time)
{
    public static Operation OperationOf(TerminalMode mode) => mode == TerminalMode.Attach ? ContainerAttach : ContainerExec;

    public bool CanOpen(string engine, TerminalMode mode) => gate.IsAllowed(caller.Current, OperationOf(mode), engine);

    /// <summary>Opens a session; failures (refused, not running, no shell, engine away) arrive as <see cref="OperationFailedException"/> with a sentence.</summary>
    public async Task<TerminalSession> OpenAsync(TerminalRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.Engine) || string.IsNullOrWhiteSpace(request.Container))
        {
            throw new OperationFailedException("Name the engine and the container to open a console in.", OperationFailure.Invalid);
        }

        var who = caller.Current;
        var operation = OperationOf(request.Mode);
        gate.Authorize(who, operation, request.Engine, request.Container);
        sessions.Reserve(who.Key);
        try
        {
            var plan = await gate.RunAsync(who, ContainerInspect, request.Engine, request.Container, (client, ct) => PlanAsync(client, request, ct), cancellationToken);
            var start = new TerminalStart(Guid.NewGuid().ToString("N"), request.Session, who, engines.Find(request.Engine)!.Endpoint,
                plan.ContainerId, plan.ContainerName, request.Mode, string.Join(' ', plan.Command), plan.User, plan.Tty);
            return await gate.RunAsync(who, operation, request.Engine, start.Describe(), async (client, ct) =>
            {
                var (stream, end) = request.Mode == TerminalMode.Attach
                    ? ((MultiplexedStream, TerminalEnd))await AttachedProcess.StartAsync(client, start, plan.Stdin, request.SafeCols, request.SafeRows, Finished, ct)
                    : await ExecProcess.StartAsync(client, start, plan.Command, request.WorkingDir, request.SafeCols, request.SafeRows, Finished, ct);
                var recorder = recordings.Start(start.Session, request.SafeCols, request.SafeRows, start.Describe());
                var session = new TerminalSession(start, client, stream, recorder, end, time, options.Value.IdleTimeout);
                sessions.Add(session);
                return session;
            }, cancellationToken);
        }
        catch
        {
            sessions.Unreserve(who.Key);
            throw;
        }
    }

    /// <summary>Resizes one of the caller's own sessions, by the name its client gave it.</summary>
    public Task ResizeAsync(string session, int cols, int rows, CancellationToken cancellationToken = default) =>
        sessions.Find(caller.Current.Key, session) is { } open
            ? open.ResizeAsync(cols, rows, cancellationToken)
            : throw new OperationFailedException($"You have no open console named '{session}'.", OperationFailure.NotFound);

    public Task<Recording> RecordingAsync(string session, CancellationToken cancellationToken = default) =>
        recordings.ReadAsync(gate, caller.Current, session, cancellationToken);

    private void Finished(TerminalSession session, string? leftovers)
    {
        sessions.Remove(session);
        var start = session.Start;
        var message = $"ended after {Formats.Duration(session.Duration)}: {session.Ending}; recording {start.Session}" + (leftovers is null ? "" : "; " + leftovers);
        gate.AuditShown(start.Caller, OperationOf(start.Mode), start.Engine, start.Describe(), message);
    }

    private sealed record Plan(string ContainerId, string ContainerName, IReadOnlyList<string> Command, string User, bool Tty, bool Stdin);

    /// <summary>Checks the container can have a console, and settles what runs: the command asked for, or the first shell it has.</summary>
    private static async Task<Plan> PlanAsync(IDockerClient client, TerminalRequest request, CancellationToken cancellationToken)
    {
        var container = await client.Containers.InspectContainerAsync(request.Container, cancellationToken);
        var name = container.Name.TrimStart('/');
        var state = container.State ?? new State();
        var config = container.Config ?? new ContainerConfig();
        if (state.Paused)
        {
            throw new OperationFailedException($"Container '{name}' is paused: unpause it to open a console.", OperationFailure.Invalid);
        }

        if (!state.Running)
        {
            throw new OperationFailedException($"Container '{name}' is not running ({state.Status}): start it to open a console.", OperationFailure.Invalid);
        }

        // Empty: the container's own user, as the engine resolves it (an image without /etc/passwd has no "root" by name).
        var user = string.IsNullOrWhiteSpace(request.User) ? "" : request.User.Trim();
        if (request.Mode == TerminalMode.Attach)
        {
            return new Plan(container.ID, name, [], user, config.Tty, config.OpenStdin);
        }

        var command = request.Cmd is { Count: > 0 } asked && asked.Any(a => a.Length > 0) ? asked : [await FirstShellAsync(client, container.ID, name, cancellationToken)];
        return new Plan(container.ID, name, command, user, request.Tty, true);
    }

    private static async Task<string> FirstShellAsync(IDockerClient client, string id, string name, CancellationToken cancellationToken)
    {
        foreach (var shell in TerminalRequest.DefaultShells)
        {
            try
            {
                await client.Containers.GetArchiveFromContainerAsync(id, new ContainerPathStatParameters { Path = shell }, statOnly: true, cancellationToken);
                return shell;
            }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Not in this image: try the next one.
            }
        }

        throw new OperationFailedException(
            $"Container '{name}' has neither {string.Join(" nor ", TerminalRequest.DefaultShells)}: give the command to run.", OperationFailure.Invalid);
    }
}
