using DockerDash.Containers;
using DockerDash.Stats;

namespace DockerDash.History;

/// <summary>What a series of points is about: one container, or an engine as a whole (<see cref="ContainerId"/> empty).</summary>
public sealed class HistorySeries
{
    public int Id { get; set; }

    public string Engine { get; set; } = "";

    /// <summary>The container's full ID; empty for the engine's own series (the sum over its running containers).</summary>
    public string ContainerId { get; set; } = "";

    /// <summary>The container's name when it was last sampled.</summary>
    public string Name { get; set; } = "";

    public string? Project { get; set; }

    public bool IsEngine => ContainerId.Length == 0;
}

/// <summary>
/// One sample of a series, at a resolution: raw (every sample) or a rollup (the average of a rollup period's raw samples,
/// at the period's start). Times are Unix seconds; rates are bytes per second.
/// </summary>
public sealed class HistoryPoint
{
    public int SeriesId { get; set; }

    public HistoryResolution Resolution { get; set; }

    public long At { get; set; }

    public double CpuPercent { get; set; }

    public long MemoryBytes { get; set; }

    public long MemoryLimitBytes { get; set; }

    public double NetRxBytesPerSec { get; set; }

    public double NetTxBytesPerSec { get; set; }
}

public enum HistoryResolution : byte
{
    Raw = 0,
    Rollup = 1,
}

/// <summary>The windows the charts and the ranking offer.</summary>
public enum HistoryWindow
{
    Hour,
    SixHours,
    Day,
    Week,
}

public static class HistoryWindows
{
    public static readonly IReadOnlyList<HistoryWindow> All = [HistoryWindow.Hour, HistoryWindow.SixHours, HistoryWindow.Day, HistoryWindow.Week];

    public static TimeSpan Length(HistoryWindow window) => window switch
    {
        HistoryWindow.Hour => TimeSpan.FromHours(1),
        HistoryWindow.SixHours => TimeSpan.FromHours(6),
        HistoryWindow.Day => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(7),
    };

    /// <summary>A window as written in the API and addresses: <c>1h</c>, <c>6h</c>, <c>24h</c> or <c>7d</c>.</summary>
    public static string Code(HistoryWindow window) => window switch
    {
        HistoryWindow.Hour => "1h",
        HistoryWindow.SixHours => "6h",
        HistoryWindow.Day => "24h",
        _ => "7d",
    };

    public static HistoryWindow Parse(string? code) =>
        All.Where(w => string.Equals(Code(w), code?.Trim(), StringComparison.OrdinalIgnoreCase)).Cast<HistoryWindow?>().FirstOrDefault()
            ?? throw new Operations.OperationFailedException($"'{code}' is not a window: use 1h, 6h, 24h or 7d.", Operations.OperationFailure.Invalid);

    public static string Label(HistoryWindow window) => window switch
    {
        HistoryWindow.Hour => "1 h",
        HistoryWindow.SixHours => "6 h",
        HistoryWindow.Day => "24 h",
        _ => "7 d",
    };
}

/// <summary>A running container's newest stats sample, as the recorder and the resource alert rules read it.</summary>
public sealed record ResourceReading(ContainerKey Key, string Name, string? Project, StatsSample Sample)
{
    /// <summary>Memory in use as a share of the limit (the host's memory when the container has none), 0 when unknown.</summary>
    public double MemoryPercent => Sample.MemoryLimitBytes > 0 ? 100.0 * Sample.MemoryBytes / Sample.MemoryLimitBytes : 0;
}

/// <summary>A point as pages draw it.</summary>
public sealed record ResourcePoint(DateTimeOffset Time, double CpuPercent, long MemoryBytes, long MemoryLimitBytes, double NetRxBytesPerSec, double NetTxBytesPerSec);

/// <summary>A container's averages over a window, for the ranking page.</summary>
public sealed record ResourceRank(string Engine, string ContainerId, string Name, string? Project, double CpuPercent, long MemoryBytes, long MemoryPeakBytes, int Points);
