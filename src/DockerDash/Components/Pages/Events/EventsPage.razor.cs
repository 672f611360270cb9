using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Operations;
using Microsoft.AspNetCore.Components;

namespace DockerDash.Components.Pages.Events;

/// <summary>
/// Every engine's events (containers, images, networks, volumes, ...) the caller may watch, newest
/// first: the ones the app kept from before the page opened, then live, in a bounded history; filtered by engine, type, action and name; paused without losing what
/// arrives meanwhile (up to the history's size).
/// </summary>
public sealed partial class EventsPage
{
    private readonly EventHistory _history = new();
    private List<EngineEvent> _shown = [];
    private List<string> _engines = [];
    private EventView _view = new();
    private StreamFollower? _follower;
    private bool _paused;
    private long _arrivedWhilePaused;
    private string? _error;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private EngineDirectory Engines { get; set; } = default!;

    /// <summary>Links may preselect the view: <c>/events?engine=prod&amp;type=container&amp;action=die&amp;name=web</c>.</summary>
    [SupplyParameterFromQuery(Name = "engine")] public string? QueryEngine { get; set; }

    [SupplyParameterFromQuery(Name = "type")] public string? QueryType { get; set; }

    [SupplyParameterFromQuery(Name = "action")] public string? QueryAction { get; set; }

    [SupplyParameterFromQuery(Name = "name")] public string? QueryName { get; set; }

    private string Summary => _history.Added > _history.Capacity
        ? $"{_shown.Count} shown · the latest {_history.Capacity:N0} of {_history.Added:N0} kept"
        : $"{_shown.Count} shown of {_history.Count}";

    protected override void OnInitialized()
    {
        _view = new EventView(QueryEngine, QueryType, QueryAction, QueryName);
        _engines = Engines.States.Select(s => s.Name).ToList();
        _follower = StreamFollower.Start(
            ct => Events.StreamAsync(new EngineEventFilter(), ct, recent: true),
            e =>
            {
                _history.Add(e);
                _arrivedWhilePaused += _paused ? 1 : 0;
            },
            InvokeAsync, Refresh, e => _error = e.Message);
    }

    private void Refresh()
    {
        if (!_paused)
        {
            _shown = _history.NewestFirst().Where(_view.Matches).ToList();
        }

        StateHasChanged();
    }

    private void Filter(EventView view)
    {
        _view = view;
        _shown = _history.NewestFirst().Where(_view.Matches).ToList();
    }

    private void TogglePause()
    {
        _paused = !_paused;
        _arrivedWhilePaused = 0;
        Refresh();
    }

    public ValueTask DisposeAsync() => _follower?.DisposeAsync() ?? ValueTask.CompletedTask;
}
