using DockerDash.Components.Overview;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Operations;
using DockerDash.Overview;
using DockerDash.Stats;
using Microsoft.AspNetCore.Components;

namespace DockerDash.Components.Pages.Wall;

/// <summary>
/// The wall display (opened with a kiosk token): per engine and per compose project, large counts
/// coloured by state; the containers that need attention first; each engine's CPU and memory; a
/// ticker of the latest events. Nothing to click. <c>?rotate=N</c> shows one engine at a time, N
/// seconds each (<c>&amp;by=project</c>: one compose project at a time). While the connection is down, the page's script says "stale since" (see reconnect.js).
/// </summary>
public sealed partial class WallPage
{
    private const int AttentionShown = 12;
    private const int TickerEvents = 6;

    private static readonly TimeSpan UsageRefresh = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _cancel = new();
    private readonly EventHistory _events = new(TickerEvents);
    private StreamFollower? _ticker;
    private LiveContainers? _live;
    private IDisposable? _usageFollowed;
    private int _rotation;
    private string? _error;

    [Inject] private ContainerService ContainerService { get; set; } = default!;

    [Inject] private EngineDirectory EngineDirectory { get; set; } = default!;

    [Inject] private EngineUsageService Usage { get; set; } = default!;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>Seconds per engine (or project) when rotating; 0 or absent shows everything at once.</summary>
    [SupplyParameterFromQuery(Name = "rotate")] public int? Rotate { get; set; }

    /// <summary>What to rotate through: <c>engine</c> (the default) or <c>project</c>.</summary>
    [SupplyParameterFromQuery(Name = "by")] public string? RotateBy { get; set; }

    private IReadOnlyList<ContainerInfo> AllContainers => _live?.All ?? [];

    private bool ByProject => string.Equals(RotateBy, "project", StringComparison.OrdinalIgnoreCase);

    /// <summary>What rotation can show, one at a time: engines, or (engine, project) pairs.</summary>
    private IReadOnlyList<(string Engine, string? Project)> Stops => ByProject
        ? StatusSummary.ProjectTiles(AllContainers).Select(t => (t.Engine, t.Project)).OrderBy(t => t.Project, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.Engine, StringComparer.Ordinal).ToList()
        : (_live?.Engines ?? []).Select(e => (e.Name, (string?)null)).ToList();

    /// <summary>The engine or project in view while rotating, or none when everything is shown.</summary>
    private (string Engine, string? Project)? Current => Rotate > 0 && Stops is { Count: > 1 } stops ? stops[_rotation % stops.Count] : null;

    private string? Focus => Current is { } stop ? stop.Project is { } project ? $"{project} · {stop.Engine}" : stop.Engine : null;

    private IReadOnlyList<ContainerInfo> Containers => Current is { } stop
        ? AllContainers.Where(c => c.Engine == stop.Engine && (stop.Project is null || c.ComposeProject == stop.Project)).ToList()
        : AllContainers;

    private IReadOnlyList<StatusTile> EngineTiles => StatusSummary.EngineTiles(AllContainers, (_live?.Engines ?? []).Where(e => Current is null || e.Name == Current.Value.Engine));

    private IReadOnlyList<StatusTile> ProjectTiles => StatusSummary.ProjectTiles(Containers);

    private IReadOnlyList<ContainerInfo> Attention => StatusSummary.NeedingAttention(Containers, AttentionShown);

    protected override void OnInitialized()
    {
        try
        {
            _live = new LiveContainers(ContainerService, EngineDirectory, () => InvokeAsync(Refresh));
        }
        catch (OperationFailedException e)
        {
            _error = e.Message;
            return;
        }

        // CPU and memory: the newest samples of the shared stats collector, read again every two seconds.
        _usageFollowed = Usage.Follow();
        _ = RefreshUsageAsync(_cancel.Token);
        // The ticker; a caller who may watch no engine's events gets none.
        _ticker = StreamFollower.Start(ct => Events.StreamAsync(new EngineEventFilter(), ct, recent: true), AddToTicker, InvokeAsync, () => _live?.RequestRender());
        _ = TickAsync(_cancel.Token);
    }

    /// <summary>The ticker leaves out exec runs: health checks would fill it with three every interval per container.</summary>
    private void AddToTicker(EngineEvent e)
    {
        if (!EventView.IsExec(e))
        {
            _events.Add(e);
        }
    }

    private void Refresh()
    {
        _live?.ApplyPending();
        StateHasChanged();
    }

    /// <summary>Engines' CPU and memory move the wall every <see cref="UsageRefresh"/> (each container is sampled every second).</summary>
    private async Task RefreshUsageAsync(CancellationToken cancellationToken)
    {
        using var ticks = new PeriodicTimer(UsageRefresh, Time);
        try
        {
            while (await ticks.WaitForNextTickAsync(cancellationToken))
            {
                _live?.RequestRender();
            }
        }
        catch (OperationCanceledException)
        {
            // The page is closing.
        }
    }

    /// <summary>The rotation: the wall renders again when its turn moves on (the clock renders itself).</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (Rotate is not > 0)
        {
            return;
        }

        using var turns = new PeriodicTimer(TimeSpan.FromSeconds(Rotate.Value), Time);
        try
        {
            while (await turns.WaitForNextTickAsync(cancellationToken))
            {
                await InvokeAsync(() =>
                {
                    _rotation++;
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page is closing.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }

        await _cancel.CancelAsync();
        _cancel.Dispose();
        _usageFollowed?.Dispose();
        _live?.Dispose();
    }
}
