using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockerDash.Terminals;

/// <summary>
/// What differs between a console on a new process (<see cref="ExecProcess"/>) and on the main one
/// (<see cref="AttachedProcess"/>): how it is resized, how its end is told, and what is left to stop afterwards.
/// </summary>
internal abstract class TerminalEnd(Action<TerminalSession, string?> finished)
{
    /// <summary>The line that says how the process ended, once its output closed.</summary>
    public abstract Task<string> DescribeAsync(IDockerClient client, CancellationToken cancellationToken);

    public abstract Task ResizeAsync(IDockerClient client, int cols, int rows, CancellationToken cancellationToken);

    /// <summary>Stops what the session left running; says what it did, or null when nothing was left.</summary>
    protected virtual Task<string?> StopLeftoversAsync(IDockerClient client) => Task.FromResult<string?>(null);

    public async Task FinishAsync(TerminalSession session, IDockerClient client)
    {
        string? leftovers;
        try
        {
            leftovers = await StopLeftoversAsync(client);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            leftovers = "could not check for a process left running: " + e.Message;
        }

        finished(session, leftovers);
    }
}

/// <summary>A process started for the session (<c>docker exec</c>): it is stopped when the session ends.</summary>
internal sealed class ExecProcess(string containerId, string execId, string sessionId, Action<TerminalSession, string?> finished) : TerminalEnd(finished)
{
    /// <summary>Every exec DockerDash starts carries this, so that what it started (and its children) can be found and stopped.</summary>
    public const string SessionVariable = "DOCKERDASH_SESSION";

    /// <summary>Hangs up, then after a second kills, every process in the container whose environment names the session.</summary>
    private const string StopScript =
        """
        mine() { for p in /proc/[0-9]*; do n=${p#/proc/}; [ "$n" = "$$" ] && continue; tr '\0' '\n' < "$p/environ" 2>/dev/null | grep -qx "$1" && echo "$n"; done; }
        for n in $(mine "$1"); do kill -HUP "$n" 2>/dev/null; done
        sleep 1
        for n in $(mine "$1"); do kill -KILL "$n" 2>/dev/null; done
        """;

    public static async Task<(MultiplexedStream Stream, ExecProcess End)> StartAsync(
        IDockerClient client, TerminalStart start, IReadOnlyList<string> cmd, string? workingDir, int cols, int rows, Action<TerminalSession, string?> finished, CancellationToken cancellationToken)
    {
        var created = await client.Exec.CreateContainerExecAsync(start.ContainerId, new ContainerExecCreateParameters
        {
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
            TTY = start.Tty,
            Cmd = [.. cmd],
            User = start.User,
            WorkingDir = workingDir ?? "",
            Env = start.Tty ? [$"{SessionVariable}={start.Session}", "TERM=xterm-256color"] : [$"{SessionVariable}={start.Session}"],
        }, cancellationToken);
        var stream = await client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters { TTY = start.Tty }, cancellationToken);
        var process = new ExecProcess(start.ContainerId, created.ID, start.Session, finished);
        if (start.Tty)
        {
            try
            {
                await process.ResizeAsync(client, cols, rows, cancellationToken);
            }
            catch (DockerApiException)
            {
                // The process did not start (an unknown user, say): its output says why, and the session ends with it.
            }
        }

        return (stream, process);
    }

    public override async Task<string> DescribeAsync(IDockerClient client, CancellationToken cancellationToken)
    {
        // The output closes as the process exits; the engine may take a moment more to record the exit code.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var exec = await client.Exec.InspectContainerExecAsync(execId, cancellationToken);
            if (!exec.Running)
            {
                return exec.ExitCode switch
                {
                    126 => "the command could not be run (exit code 126)",
                    127 => "the command was not found in the container (exit code 127)",
                    { } code => $"process exited with code {code}",
                    null => "process ended",
                };
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return "the process closed its output but is still running";
    }

    public override Task ResizeAsync(IDockerClient client, int cols, int rows, CancellationToken cancellationToken) =>
        client.Exec.ResizeExecTtyAsync(execId, new ContainerResizeParameters { Width = cols, Height = rows }, cancellationToken);

    protected override async Task<string?> StopLeftoversAsync(IDockerClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        if (!(await client.Exec.InspectContainerExecAsync(execId, timeout.Token)).Running)
        {
            return null;
        }

        var stopper = await client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            AttachStdout = true,
            AttachStderr = true,
            User = "0",
            Cmd = ["/bin/sh", "-c", StopScript, "dockerdash-stop", $"{SessionVariable}={sessionId}"],
        }, timeout.Token);
        using (var output = await client.Exec.StartContainerExecAsync(stopper.ID, new ContainerExecStartParameters(), timeout.Token))
        {
            await output.ReadOutputToEndAsync(timeout.Token);
        }

        return (await client.Exec.InspectContainerExecAsync(execId, timeout.Token)).Running
            ? "its process was still running after the session and could not be stopped (the container has no /bin/sh, tr or grep to find it with)"
            : "stopped the process the session left running";
    }
}

/// <summary>The container's main process (<c>docker attach</c>): closing the console detaches, and the container goes on.</summary>
internal sealed class AttachedProcess(string containerId, Action<TerminalSession, string?> finished) : TerminalEnd(finished)
{
    public static async Task<(MultiplexedStream Stream, AttachedProcess End)> StartAsync(
        IDockerClient client, TerminalStart start, bool stdin, int cols, int rows, Action<TerminalSession, string?> finished, CancellationToken cancellationToken)
    {
        var stream = await client.Containers.AttachContainerAsync(start.ContainerId, new ContainerAttachParameters
        {
            Stream = true,
            Stdin = stdin,
            Stdout = true,
            Stderr = true,
        }, cancellationToken);
        var process = new AttachedProcess(start.ContainerId, finished);
        if (start.Tty)
        {
            await process.ResizeAsync(client, cols, rows, cancellationToken);
        }

        return (stream, process);
    }

    public override async Task<string> DescribeAsync(IDockerClient client, CancellationToken cancellationToken)
    {
        var container = await client.Containers.InspectContainerAsync(containerId, cancellationToken);
        return container.State is { Running: false } state
            ? $"the container stopped (exit code {state.ExitCode})"
            : "detached: the container goes on running";
    }

    public override Task ResizeAsync(IDockerClient client, int cols, int rows, CancellationToken cancellationToken) =>
        client.Containers.ResizeContainerTtyAsync(containerId, new ContainerResizeParameters { Width = cols, Height = rows }, cancellationToken);
}
