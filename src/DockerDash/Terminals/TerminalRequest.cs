namespace DockerDash.Terminals;

public enum TerminalMode
{
    /// <summary>A new process in the container (<c>docker exec</c>).</summary>
    Exec,

    /// <summary>The container's main process (<c>docker attach</c>).</summary>
    Attach,
}

/// <summary>
/// What a console asks for. <see cref="Cmd"/> empty means the first of <c>/bin/bash</c>, <c>/bin/sh</c> the
/// container has; <see cref="Session"/> is a name the client picks to resize the session by (one is made when absent).
/// </summary>
public sealed record TerminalRequest(
    string Engine,
    string Container,
    TerminalMode Mode = TerminalMode.Exec,
    IReadOnlyList<string>? Cmd = null,
    string? User = null,
    string? WorkingDir = null,
    bool Tty = true,
    int Cols = 80,
    int Rows = 24,
    string? Session = null)
{
    /// <summary>The shells tried, in order, when no command is given.</summary>
    public static readonly IReadOnlyList<string> DefaultShells = ["/bin/bash", "/bin/sh"];

    public int SafeCols => Math.Clamp(Cols, 10, 500);

    public int SafeRows => Math.Clamp(Rows, 2, 300);
}
