using DockerDash.Callers;
using DockerDash.Engines;

namespace DockerDash.Terminals;

/// <summary>What a session is, once opened: who, on which container, running what. The audit and the page show it.</summary>
public sealed record TerminalStart(
    string Session,
    string? ClientName,
    Caller Caller,
    EngineEndpoint Endpoint,
    string ContainerId,
    string ContainerName,
    TerminalMode Mode,
    string Command,
    string User,
    bool Tty)
{
    public string Engine => Endpoint.Name;

    /// <summary>"web: /bin/sh as the container's user (session 1a2b3c4d)": the audit's target.</summary>
    public string Describe() => Mode == TerminalMode.Attach
        ? $"{ContainerName}: attached to its main process (session {Session[..8]})"
        : $"{ContainerName}: {Command} as {(User.Length > 0 ? User : "the container's user")} (session {Session[..8]})";
}
