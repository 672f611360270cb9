using DockerDash.Components.Stats;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Operations;
using DockerDash.Stats;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace DockerDash.Components.Pages.Containers;

/// <summary>Every engine's containers in one live table: search, filters, sorting, grouping and bulk actions.</summary>
public sealed partial class ContainersPage
{
    private static readonly string[] CommonStates = ["running", "exited", "paused", "restarting", "created", "dead"];

    private readonly ContainerListView _view = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentDictionary<ContainerKey, string> _busyRows = new();
    private ContainerSubscription? _subscription;
    private RenderThrottle? _throttle;
    private StreamFollower? _follow;
    private HashSet<ContainerInfo> _selected = [];
    private List<string> _engines = [];
    private List<EngineState> _downEngines = [];
    private bool _onlyEngineIsDefault;
    private bool _grouped;
    private string? _rememberedToggles;
    private bool _busy;
    private bool _liveStats;
    private LiveStats? _stats;

    /// <summary>At most this many rows show live CPU and memory: each is a stats stream (shared, but a stream).</summary>
    public const int LiveStatsLimit = 30;

    /// <summary>Links may preselect the view: <c>/containers?q=web&amp;state=running,paused&amp;engine=prod&amp;group=true</c>.</summary>
    [SupplyParameterFromQuery(Name = "q")] public string? QuerySearch { get; set; }

    [SupplyParameterFromQuery(Name = "state")] public string? QueryStates { get; set; }

    [SupplyParameterFromQuery(Name = "engine")] public string? QueryEngines { get; set; }

    [SupplyParameterFromQuery(Name = "group")] public bool? QueryGroup { get; set; }

    [SupplyParameterFromQuery(Name = "stats")] public bool? QueryStats { get; set; }

    /// <summary><c>?updates=available</c>: only the containers whose tag names a newer image.</summary>
    [SupplyParameterFromQuery(Name = "updates")] public string? QueryUpdates { get; set; }

    [Inject] private DockerDash.Updates.ContainerUpdater Updates { get; set; } = default!;

    [Inject] private DockerDash.Updates.UpdateChecker UpdateChecker { get; set; } = default!;

    private Dictionary<ContainerKey, DockerDash.Updates.ContainerUpdateState> _updates = [];

    private bool OnlyUpdates => string.Equals(QueryUpdates, "available", StringComparison.OrdinalIgnoreCase);

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Where the browser keeps the last toggles (grouping, live stats), for the next visit to a bare <c>/containers</c>.</summary>
    public const string RememberedViewKey = "dockerdash.containers.view";

    [Inject] private ContainerService Containers { get; set; } = default!;

    [Inject] private ContainerBatch Batch { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    [Inject] private StatsService Stats { get; set; } = default!;

    [Inject] private EngineDirectory Engines { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private static TableGroupDefinition<ContainerInfo> ProjectGroup { get; } = new()
    {
        GroupName = "Project",
        Indentation = false,
        Expandable = true,
        IsInitiallyExpanded = true,
        Selector = ContainerListView.ProjectOf,
    };

    /// <summary>
    /// Long lists render only the rows in view; grouped lists render whole (MudTable groups do not virtualise). Decided by
    /// all the rows, not those the search leaves: a keystroke then only changes rows, and the table does not switch between
    /// its two ways of rendering (the first such switch took 200 ms on 10,000 rows).
    /// </summary>
    private bool Virtualized => RendererInfo.IsInteractive && !_grouped && _view.Count > VirtualizeAbove;

    public const int VirtualizeAbove = 100;

    /// <summary>
    /// Before the circuit is connected (the prerendered page) the first rows are plain HTML, so a long list shows at
    /// once instead of after the live table has measured its viewport; the live table then takes over.
    /// </summary>
    private IEnumerable<ContainerInfo> Rows => RendererInfo.IsInteractive ? _view.Visible : _view.Visible.Take(PrerenderedRows);

    public const int PrerenderedRows = 40;

    /// <summary>Every keystroke filters (10,000 rows take a few milliseconds); no pause is added before the rows follow the search.</summary>
    private const int SearchDebounce = 0;

    /// <summary>Row selection is offered only to callers who may run some bulk action.</summary>
    private bool AnyBulk => Enum.GetValues<ContainerAction>().Any(CanAny);

    private IEnumerable<string> KnownStates => CommonStates.Union(_view.KnownStates);

    protected override void OnInitialized()
    {
        ApplyAddress();
        _subscription = Containers.Subscribe();
        _view.Reset(_subscription.Snapshot);
        _throttle = new RenderThrottle(RenderThrottle.TenPerSecond, () => InvokeAsync(Refresh));
        _stats = new LiveStats(Stats, _throttle.Request);
        _follow = StreamFollower.Start(_subscription.ReadUpdatesAsync, _view.Apply, InvokeAsync, Refresh);
        Engines.StateChanged += OnEngineState;
        UpdateChecker.Changed += OnUpdatesChanged;
        ReadUpdates();
        ReadEngines();
    }

    /// <summary>What the last update checks found, for the badges and the <c>?updates=available</c> filter.</summary>
    private void ReadUpdates()
    {
        _updates = Updates.List().Where(s => s.IsAvailable).ToDictionary(s => new ContainerKey(s.Engine, s.Id));
        _view.SetOnly(OnlyUpdates ? _updates.Keys : null);
    }

    private void OnUpdatesChanged() => InvokeAsync(() =>
    {
        ReadUpdates();
        StateHasChanged();
    });

    private async Task ShowAllAsync()
    {
        QueryUpdates = null;
        _view.SetOnly(null);
        await ReflectInAddressAsync();
    }

    /// <summary>The view the address asks for (a link, Back, or the remembered view restored).</summary>
    private void ApplyAddress()
    {
        _view.SetSearch(QuerySearch);
        _view.SetStates(SplitList(QueryStates));
        _view.SetEngines(SplitList(QueryEngines));
        _grouped = QueryGroup ?? false;
        _liveStats = QueryStats ?? false;
        _view.SetOnly(OnlyUpdates ? _updates.Keys : null);
    }

    /// <summary>
    /// A bare <c>/containers</c> opens with the toggles this browser used last (a search is not carried over: an empty
    /// list would surprise). The browser answers after the page is interactive, so whatever the reader did meanwhile
    /// (typed a search, picked a state) stays: the remembered toggles are added to it, never put in its place.
    /// </summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || new Uri(Navigation.Uri).Query.Length > 1)
        {
            return;
        }

        try
        {
            if (await JS.InvokeAsync<string?>("localStorage.getItem", RememberedViewKey) is { Length: > 1 } remembered && remembered.StartsWith('?'))
            {
                _rememberedToggles = remembered;
                var toggles = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(remembered);
                _grouped |= toggles.TryGetValue("group", out var g) && bool.TryParse(g, out var grouped) && grouped;
                _liveStats |= toggles.TryGetValue("stats", out var t) && bool.TryParse(t, out var stats) && stats;
                ReconcileStats();
                await ReflectInAddressAsync();
                StateHasChanged();
            }
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException)
        {
            // Storage refused (private mode), or the reader left already: the default view it is.
        }
    }

    /// <summary>Puts the view in the address (so it can be linked, and Back keeps it) and remembers the toggles for the next visit.</summary>
    private async Task ReflectInAddressAsync()
    {
        var uri = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["q"] = string.IsNullOrEmpty(_view.Search) ? null : _view.Search,
            ["state"] = _view.States.Count == 0 ? null : string.Join(',', _view.States.Order(StringComparer.Ordinal)),
            ["engine"] = _view.Engines.Count == 0 ? null : string.Join(',', _view.Engines.Order(StringComparer.Ordinal)),
            ["group"] = _grouped ? "true" : null,
            ["stats"] = _liveStats ? "true" : null,
            ["updates"] = OnlyUpdates ? "available" : null,
        });
        Navigation.NavigateTo(uri, replace: true);
        var toggles = (_grouped ? "&group=true" : "") + (_liveStats ? "&stats=true" : "");
        toggles = toggles.Length > 0 ? "?" + toggles[1..] : "";
        if (toggles == _rememberedToggles)
        {
            return; // A keystroke in the search: nothing new to remember.
        }

        try
        {
            await JS.InvokeVoidAsync("localStorage.setItem", RememberedViewKey, toggles);
            _rememberedToggles = toggles;
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException)
        {
            // Not remembered: the address still has it.
        }
    }

    /// <summary>After updates (applied by the follower) or new stats: the selection keeps only rows that still exist, then one render.</summary>
    private void Refresh()
    {
        _selected = _selected.Select(s => _view.Find(s.Key)).OfType<ContainerInfo>().ToHashSet(KeyComparer.Instance);
        ReconcileStats();
        StateHasChanged();
    }

    private async Task OnLiveStats(bool on)
    {
        _liveStats = on;
        ReconcileStats();
        await ReflectInAddressAsync();
    }

    /// <summary>Keeps one stats reader for each running row in view (up to the limit) while live stats are on.</summary>
    private void ReconcileStats() =>
        _stats?.Watch(_liveStats
            ? _view.Visible.Where(c => c.State == "running" && Permissions.Can(EngineOperations.ContainerStats, c.Engine)).Take(LiveStatsLimit).Select(c => c.Key).ToHashSet()
            : []);

    private string? StatsOf(ContainerInfo c) =>
        _stats?.TryGet(c.Key, out var s) == true
            ? $"{s.CpuPercent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}% · {DockerDash.Components.Formats.Bytes(s.MemoryBytes)}"
            : null;

    private void ReadEngines()
    {
        var states = Engines.States;
        _engines = states.Select(s => s.Name).ToList();
        _downEngines = states.Where(s => s.Status is EngineStatus.Down or EngineStatus.Reconnecting).ToList();
        _onlyEngineIsDefault = states.Count == 1 && states[0].Endpoint == EngineEndpoint.DefaultSocket;
    }

    private void OnEngineState(EngineState _) => InvokeAsync(() =>
    {
        ReadEngines();
        StateHasChanged();
    });

    private static string[] SplitList(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>A keystroke: the rows render first (the yield lets the renderer in), the address follows.</summary>
    private async Task OnSearch(string? text)
    {
        _view.SetSearch(text);
        ReconcileStats();
        await Task.Yield();
        await ReflectInAddressAsync();
    }

    private async Task OnStates(IEnumerable<string>? states)
    {
        _view.SetStates(states ?? []);
        ReconcileStats();
        await ReflectInAddressAsync();
    }

    private async Task OnEngines(IEnumerable<string>? engines)
    {
        _view.SetEngines(engines ?? []);
        ReconcileStats();
        await ReflectInAddressAsync();
    }

    private void OnSort(ContainerSort sort)
    {
        _view.SortBy(sort);
        ReconcileStats();
    }

    private async Task OnGrouped(bool grouped)
    {
        _grouped = grouped;
        await ReflectInAddressAsync();
    }

    private static string DetailHref(ContainerInfo c) => $"/containers/{Uri.EscapeDataString(c.Engine)}/{c.Id}";

    private static string RowClass(ContainerInfo c, int _) => $"container-state-{c.State}";

    /// <summary>
    /// The selection's action, a few containers at a time: each row says what is happening to it, the jobs
    /// panel lists the batch, and the outcome names what failed and what was already as asked.
    /// </summary>
    private async Task BulkAsync(ContainerAction action)
    {
        var targets = _selected.ToList();
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"{action} {targets.Count} container{(targets.Count == 1 ? "" : "s")}?",
            string.Join(", ", targets.Select(t => t.Name)) + (action == ContainerAction.Remove ? ". Running ones are stopped first; their volumes stay." : "."),
            yesText: action.ToString(), cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await Batch.RunAsync(action, targets, (key, running) => ShowRowBusy(key, running ? ContainerBatch.Doing(action) : null));
            Snackbar.Add(result.Summary(), result.Failed.Count > 0 ? Severity.Error : Severity.Success, o => o.RequireInteraction = result.Failed.Count > 0);
            if (action == ContainerAction.Remove)
            {
                _selected = [];
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RowAsync(ContainerInfo container, ContainerAction action)
    {
        ShowRowBusy(container.Key, ContainerBatch.Doing(action));
        try
        {
            await Snackbar.RunAsync($"{ContainerBatch.Past(action)} {container.Name}.", () => Batch.RunOneAsync(action, container.Key, _cancel.Token));
        }
        finally
        {
            ShowRowBusy(container.Key, null);
        }
    }

    private async Task UnpauseAsync(ContainerInfo container)
    {
        ShowRowBusy(container.Key, "Unpausing");
        try
        {
            await Snackbar.RunAsync($"Unpaused {container.Name}.", () => Containers.UnpauseAsync(container.Key, _cancel.Token));
        }
        finally
        {
            ShowRowBusy(container.Key, null);
        }
    }

    /// <summary>Marks a row as being acted on ("Stopping…"), or clears it; called from the batch's threads too.</summary>
    private void ShowRowBusy(ContainerKey key, string? doing)
    {
        if (doing is null)
        {
            _busyRows.TryRemove(key, out _);
        }
        else
        {
            _busyRows[key] = doing + "…";
        }

        _ = InvokeAsync(StateHasChanged);
    }

    private string? BusyText(ContainerInfo c) => _busyRows.TryGetValue(c.Key, out var doing) ? doing : null;

    public static Operation OperationOf(ContainerAction action) => action switch
    {
        ContainerAction.Start => EngineOperations.ContainerStart,
        ContainerAction.Stop => EngineOperations.ContainerStop,
        ContainerAction.Restart => EngineOperations.ContainerRestart,
        _ => EngineOperations.ContainerRemove,
    };

    /// <summary>Whether to offer an action on a row: the gate decides again when it runs.</summary>
    private bool Can(ContainerAction action, string engine) => Permissions.Can(OperationOf(action), engine);

    private bool CanAny(ContainerAction action) => Permissions.CanAnywhere(OperationOf(action), _engines);

    private static string LogsHref(ContainerInfo c) => DetailHref(c) + "?tab=logs";

    public async ValueTask DisposeAsync()
    {
        Engines.StateChanged -= OnEngineState;
        if (_follow is not null)
        {
            await _follow.DisposeAsync();
        }

        await _cancel.CancelAsync();
        _stats?.Dispose();

        UpdateChecker.Changed -= OnUpdatesChanged;
        _subscription?.Dispose();
        _throttle?.Dispose();
        _cancel.Dispose();
    }
}

/// <summary>Compares containers by engine and id, so that a selection survives updates of its rows.</summary>
public sealed class KeyComparer : IEqualityComparer<ContainerInfo>
{
    public static KeyComparer Instance { get; } = new();

    public bool Equals(ContainerInfo? x, ContainerInfo? y) => x?.Key == y?.Key;

    public int GetHashCode(ContainerInfo obj) => obj.Key.GetHashCode();
}
