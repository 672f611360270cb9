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
/// seconds each. While the connection is down, the page's script says "stale since" (see reconnect.js).
/// </summary>
public sealed partial class WallPage
{
    private const int AttentionShown = 12;
    private const int TickerEvents = 6;

    private readonly CancellationTokenSource _cancel = new();
    private readonly EventHistory _events = new(TickerEvents);
    private LiveContainers? _live;
    private EngineUsageMeter? _usage;
    private PeriodicTimer? _clock;
    private DateTimeOffset _now = DateTimeOffset.UtcNow;
    private int _rotation;
    private string? _error;

    [Inject] private ContainerService ContainerService { get; set; } = default!;

    [Inject] private EngineDirectory EngineDirectory { get; set; } = default!;

    [Inject] private StatsService Stats { get; set; } = default!;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>Seconds per engine when rotating; 0 or absent shows every engine at once.</summary>
    [SupplyParameterFromQuery(Name = "rotate")] public int? Rotate { get; set; }

    private IReadOnlyList<ContainerInfo> AllContainers => _live?.All ?? [];

    /// <summary>The engine in view while rotating through several.</summary>
    private string? Focus => Rotate > 0 && _live?.Engines.Count > 1 ? _live.Engines[_rotation % _live.Engines.Count].Name : null;

    private IReadOnlyList<ContainerInfo> Containers => Focus is { } engine ? AllContainers.Where(c => c.Engine == engine).ToList() : AllContainers;

    private IReadOnlyList<StatusTile> EngineTiles => StatusSummary.EngineTiles(AllContainers, (_live?.Engines ?? []).Where(e => Focus is null || e.Name == Focus));

    private IReadOnlyList<StatusTile> ProjectTiles => StatusSummary.ProjectTiles(Containers);

    private IReadOnlyList<ContainerInfo> Attention => StatusSummary.NeedingAttention(Containers, AttentionShown);

    protected override void OnInitialized()
    {
        try
        {
            _live = new LiveContainers(ContainerService, EngineDirectory, () => InvokeAsync(Refresh));
        }
        catch (EngineOperationException e)
        {
            _error = e.Message;
            return;
        }

        _usage = new EngineUsageMeter(Stats, _live.RequestRender);
        _usage.Track(_live.All);
        _ = FollowEventsAsync(_cancel.Token);
        _ = TickAsync(_cancel.Token);
    }

    private void Refresh()
    {
        _live?.ApplyPending();
        _usage?.Track(_live?.All ?? []);
        StateHasChanged();
    }

    private async Task FollowEventsAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var e in Events.StreamAsync(new EngineEventFilter(), cancellationToken))
            {
                await InvokeAsync(() => _events.Add(e));
                _live?.RequestRender();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or EngineOperationException)
        {
            // The page is closing, or this caller may watch no engine's events: no ticker.
        }
    }

    /// <summary>The clock, and the rotation: one tick a second.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _clock = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        var seconds = 0;
        try
        {
            while (await _clock.WaitForNextTickAsync(cancellationToken))
            {
                seconds++;
                await InvokeAsync(() =>
                {
                    _now = Time.GetUtcNow();
                    _rotation += Rotate > 0 && seconds % Rotate.Value == 0 ? 1 : 0;
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page is closing.
        }
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
        _clock?.Dispose();
        _usage?.Dispose();
        _live?.Dispose();
    }
}
