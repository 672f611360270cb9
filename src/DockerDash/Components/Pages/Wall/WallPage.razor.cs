using DockerDash.Components.Overview;
using DockerDash.Components.History;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.History;
using DockerDash.Operations;
using DockerDash.Overview;
using DockerDash.Stats;
using DockerDash.Updates;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

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
    private WallSparklines? _sparklines;
    private IDisposable? _usageFollowed;
    private int _rotation;
    private string? _error;

    [Inject] private ContainerService ContainerService { get; set; } = default!;

    [Inject] private EngineDirectory EngineDirectory { get; set; } = default!;

    [Inject] private EngineUsageService Usage { get; set; } = default!;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    [Inject] private HistoryService History { get; set; } = default!;

    [Inject] private ContainerUpdater Updates { get; set; } = default!;

    [Inject] private UpdateChecker Checker { get; set; } = default!;

    [Inject] private IOptions<HistoryOptions> HistoryOptions { get; set; } = default!;

    /// <summary>Seconds per engine (or project) when rotating; 0 or absent shows everything at once.</summary>
    [SupplyParameterFromQuery(Name = "rotate")] public int? Rotate { get; set; }

    /// <summary>What to rotate through: <c>engine</c> (the default) or <c>project</c>.</summary>
    [SupplyParameterFromQuery(Name = "by")] public string? RotateBy { get; set; }

    private bool ByProject => string.Equals(RotateBy, "project", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the wall shows: worked out again only when the containers, the engines or the rotation changed, not each time CPU and memory move.</summary>
    private sealed record WallView(
        IReadOnlyList<ContainerInfo> Containers,
        IReadOnlyList<(StatusTile Tile, MarkupString Markup)> EngineTiles,
        IReadOnlyList<(StatusTile Tile, MarkupString Markup)> ProjectTiles,
        IReadOnlyList<ContainerInfo> Attention,
        string? Focus);

    private (IReadOnlyList<ContainerInfo> Rows, IReadOnlyList<EngineState> Engines, int Rotation)? _viewOf;
    private WallView? _view;

    private WallView View
    {
        get
        {
            var rows = _live?.All ?? [];
            var engines = _live?.Engines ?? [];
            if (_view is null || _viewOf is not { } of || !ReferenceEquals(of.Rows, rows) || !of.Engines.SequenceEqual(engines) || of.Rotation != _rotation)
            {
                _view = Summarise(rows, engines);
                _viewOf = (rows, engines, _rotation);
            }

            return _view;
        }
    }

    private WallView Summarise(IReadOnlyList<ContainerInfo> all, IReadOnlyList<EngineState> engines)
    {
        // While rotating: one engine, or one (engine, project) pair, at a time.
        IReadOnlyList<(string Engine, string? Project)> stops = ByProject
            ? StatusSummary.ProjectTiles(all).Select(t => (t.Engine, t.Project)).OrderBy(t => t.Project, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.Engine, StringComparer.Ordinal).ToList()
            : engines.Select(e => (e.Name, (string?)null)).ToList();
        (string Engine, string? Project)? current = Rotate > 0 && stops.Count > 1 ? stops[_rotation % stops.Count] : null;
        var focus = current is { } stop ? stop.Project is { } project ? $"{project} · {stop.Engine}" : stop.Engine : null;
        var containers = current is { } shown
            ? all.Where(c => c.Engine == shown.Engine && (shown.Project is null || c.ComposeProject == shown.Project)).ToList()
            : all;
        return new WallView(
            containers,
            Drawn(StatusSummary.EngineTiles(all, engines.Where(e => current is null || e.Name == current.Value.Engine))),
            Drawn(StatusSummary.ProjectTiles(containers)),
            StatusSummary.NeedingAttention(containers, AttentionShown),
            focus);
    }

    /// <summary>Each tile with its title and counts as markup, made here once rather than at every render.</summary>
    private List<(StatusTile Tile, MarkupString Markup)> Drawn(IReadOnlyList<StatusTile> tiles) =>
        [.. tiles.Select(t => (t, StatusTileMarkup.Of(t, UpdateCounts.Of(Updates, t.Engine, t.Project))))];

    protected override void OnInitialized()
    {
        Checker.Changed += OnUpdatesChecked;
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
        _sparklines = new WallSparklines(History, HistoryOptions.Value, Time);
    }

    /// <summary>The sparklines are read once the page is live (not while prerendering).</summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _sparklines is not null)
        {
            await _sparklines.StartAsync(StateHasChanged, InvokeAsync);
        }
    }

    /// <summary>The ticker leaves out exec runs: health checks would fill it with three every interval per container.</summary>
    private void AddToTicker(EngineEvent e)
    {
        if (!EventView.IsExec(e))
        {
            _events.Add(e);
        }
    }

    /// <summary>An update check ended: the tiles' update counts are made again.</summary>
    private void OnUpdatesChecked() => InvokeAsync(() =>
    {
        _view = null;
        StateHasChanged();
    });

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
        Checker.Changed -= OnUpdatesChecked;
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }

        await _cancel.CancelAsync();
        _cancel.Dispose();
        _usageFollowed?.Dispose();
        _live?.Dispose();
        _sparklines?.Dispose();
    }
}
