namespace DockerDash.Terminals;

/// <summary><c>DockerDash:Exec</c>: how long a console may sit idle, how many one user may hold, and how long recordings are kept.</summary>
public sealed class TerminalOptions
{
    public const string SectionName = "DockerDash:Exec";

    /// <summary>A session nobody typed into for this long is closed (output alone does not keep it open).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Consoles one user (or token) may have open at once, across pages and hub connections.</summary>
    public int MaxSessionsPerUser { get; set; } = 3;

    /// <summary>Days a session's recording is kept in the data folder (<c>recordings/</c>).</summary>
    public int RecordingRetentionDays { get; set; } = 30;

    /// <summary>A recording stops growing at this size (the session goes on, and the recording says it was cut).</summary>
    public long MaxRecordingBytes { get; set; } = 50L * 1024 * 1024;
}
