using DockerDash.Containers;
using DockerDash.Engines;

namespace DockerDash.Overview;

/// <summary>How a tile reads from across a room: worst first.</summary>
public enum TileState
{
    Critical,
    Warning,
    Healthy,
    Idle,
}

/// <summary>Containers of an engine or a compose project, counted by what a watcher cares about.</summary>
public sealed record StatusCounts(int Running, int Unhealthy, int Restarting, int Exited, int Failed, int Paused, int Total, int Created = 0)
{
    public static StatusCounts Of(IEnumerable<ContainerInfo> containers)
    {
        int running = 0, unhealthy = 0, restarting = 0, exited = 0, failed = 0, paused = 0, total = 0, created = 0;
        foreach (var c in containers)
        {
            total++;
            running += c.State == "running" ? 1 : 0;
            unhealthy += c.Health == "unhealthy" ? 1 : 0;
            restarting += c.State == "restarting" ? 1 : 0;
            exited += c.State is "exited" or "dead" ? 1 : 0;
            failed += StatusSummary.Failed(c) ? 1 : 0;
            paused += c.State == "paused" ? 1 : 0;
            created += c.State == "created" ? 1 : 0;
        }

        return new StatusCounts(running, unhealthy, restarting, exited, failed, paused, total, created);
    }

    public TileState State =>
        Unhealthy > 0 || Restarting > 0 ? TileState.Critical
        : Failed > 0 ? TileState.Warning
        : Running > 0 ? TileState.Healthy
        : TileState.Idle;
}

/// <summary>One tile: an engine or a compose project, its counts and its state (an engine that is down is critical).</summary>
public sealed record StatusTile(string Engine, string? Project, StatusCounts Counts, EngineState? EngineState)
{
    public string Title => Project ?? Engine;

    public TileState State => EngineState is { IsUp: false } ? TileState.Critical : Counts.State;
}

/// <summary>The wall display's and the overview's reading of the containers: tiles ordered worst first, and who needs attention.</summary>
public static class StatusSummary
{
    /// <summary>Exited or dead with a non-zero code: it did not end the way it should.</summary>
    public static bool Failed(ContainerInfo c) => c.State == "dead" || (c.State == "exited" && c.ExitCode is { } code && code != 0);

    /// <summary>
    /// How urgently a container needs a look (lower first), or null when it does not. A crash loop stays in
    /// view between its restarts (while it runs for a moment) by its restart count.
    /// </summary>
    public static int? AttentionRank(ContainerInfo c) =>
        c.Health == "unhealthy" ? 0
        : c.State == "restarting" ? 1
        : c.State == "dead" ? 2
        : Failed(c) ? 3
        : c.WasRestarted && c.IsRunning ? 4
        : null;

    public static string AttentionReason(ContainerInfo c) => AttentionRank(c) switch
    {
        0 => "unhealthy",
        1 => Joined("restarting", c.StatusNote, Restarts(c)),
        2 => "dead",
        4 => Restarts(c)!,
        _ => c.StatusNote ?? c.State,
    };

    private static string? Restarts(ContainerInfo c) => c.WasRestarted ? $"restarted {c.RestartCount} time{(c.RestartCount == 1 ? "" : "s")}" : null;

    private static string Joined(string what, params string?[] notes) =>
        notes.OfType<string>().ToList() is { Count: > 0 } some ? $"{what} ({string.Join(", ", some)})" : what;

    public static IReadOnlyList<ContainerInfo> NeedingAttention(IEnumerable<ContainerInfo> containers, int limit) =>
        containers.Select(c => (Container: c, Rank: AttentionRank(c)))
            .Where(x => x.Rank is not null)
            .OrderBy(x => x.Rank).ThenBy(x => x.Container.Name, StringComparer.OrdinalIgnoreCase)
            .Take(limit)
            .Select(x => x.Container)
            .ToList();

    /// <summary>One tile per engine (every configured engine, even one with no containers or down), worst first.</summary>
    public static IReadOnlyList<StatusTile> EngineTiles(IReadOnlyList<ContainerInfo> containers, IEnumerable<EngineState> engines) =>
        Ordered(engines.Select(e => new StatusTile(e.Name, null, StatusCounts.Of(containers.Where(c => c.Engine == e.Name)), e)));

    /// <summary>One tile per compose project on each engine (containers of no project are left to the engine tile), worst first.</summary>
    public static IReadOnlyList<StatusTile> ProjectTiles(IReadOnlyList<ContainerInfo> containers) =>
        Ordered(containers.Where(c => c.ComposeProject is not null)
            .GroupBy(c => (c.Engine, Project: c.ComposeProject!))
            .Select(g => new StatusTile(g.Key.Engine, g.Key.Project, StatusCounts.Of(g), null)));

    private static List<StatusTile> Ordered(IEnumerable<StatusTile> tiles) =>
        tiles.OrderBy(t => t.State).ThenBy(t => t.Title, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.Engine, StringComparer.OrdinalIgnoreCase).ToList();
}
