using System.Globalization;

namespace DockerDash.Logs;

/// <summary>
/// Where a line stands in a container's log: its engine timestamp (Unix nanoseconds) and its index
/// among the lines with that same timestamp. Written <c>TIME:INDEX</c>; a client that passes it back
/// as <c>after</c> resumes right after that line.
/// </summary>
public readonly record struct LogPosition(long TimeNanos, int Index) : IComparable<LogPosition>
{
    public int CompareTo(LogPosition other) => TimeNanos != other.TimeNanos ? TimeNanos.CompareTo(other.TimeNanos) : Index.CompareTo(other.Index);

    public static bool operator <(LogPosition a, LogPosition b) => a.CompareTo(b) < 0;

    public static bool operator >(LogPosition a, LogPosition b) => a.CompareTo(b) > 0;

    public static bool operator <=(LogPosition a, LogPosition b) => a.CompareTo(b) <= 0;

    public static bool operator >=(LogPosition a, LogPosition b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{TimeNanos}:{Index}");

    public static LogPosition? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var time)
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? new LogPosition(time, index)
                : throw new FormatException($"'{text}' is not a log position (expected TIME:INDEX as sent with each line).");
    }
}

/// <summary>Which stream a line came from: the container's stdout or stderr, or the engine itself (an error while reading logs).</summary>
public enum LogSource
{
    Stdout,
    Stderr,
    System,
}

/// <summary>One log line, whole (messages the engine split into 16 KiB parts are joined back).</summary>
public sealed record LogLine(LogSource Source, long TimeNanos, string Text, LogPosition Position)
{
    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddTicks(TimeNanos / 100);

    /// <summary>RFC 3339 with all nine digits of nanoseconds (formatted once: a line is shared by every viewer).</summary>
    public string TimeText { get; } = LogTimestamp.Format(TimeNanos);

    /// <summary><see cref="Position"/> as sent to clients, formatted once.</summary>
    public string PositionText { get; } = Position.ToString();

    /// <summary><see cref="Source"/> as sent to clients: <c>stdout</c>, <c>stderr</c> or <c>system</c>.</summary>
    public string SourceName => SourceNames[(int)Source];

    private static readonly string[] SourceNames = ["stdout", "stderr", "system"];
}

/// <summary>
/// What a log subscriber receives: a line, or how many lines it missed because it fell behind. In a
/// merged view of several containers, <see cref="Container"/> names the one it came from.
/// </summary>
public sealed record LogEntry(LogLine? Line, long Skipped = 0, string? Container = null)
{
    public static LogEntry Of(LogLine line) => new(line);

    public static LogEntry SkippedLines(long count) => new(null, count);
}

/// <summary>
/// What a log subscriber receives in bulk: lines, or how many lines it missed because it fell behind.
/// <see cref="Shared"/>: <see cref="Lines"/> is the live feed's own batch, the same list every unfiltered viewer gets.
/// </summary>
public readonly record struct LogChunk(IReadOnlyList<LogLine> Lines, bool Shared = false, long Skipped = 0)
{
    public static LogChunk SkippedLines(long count) => new([], Skipped: count);
}
