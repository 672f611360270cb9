using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Networks;
using DockerDash.Operations;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DockerDash.Components.Pages.Networks;

/// <summary>Every engine's networks with their containers and addresses, kept current by network events; create and prune for Admins.</summary>
public sealed partial class NetworksPage : ComponentBase, IAsyncDisposable
{
    private enum Dialog
    {
        None,
        Create,
        Prune,
    }

    private static DialogOptions DialogOptions { get; } = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    private IReadOnlyList<NetworkInfo> _networks = [];
    private IReadOnlyList<string> _unreachable = [];
    private StreamFollower? _events;
    private bool _loading = true;
    private bool _stale;
    private string _search = "";
    private string? _error;
    private string? _message;
    private Dialog _dialog;
    private string? _engine;
    private string _name = "";
    private string _driver = "";
    private bool _internal;
    private string _subnet = "";
    private string _gateway = "";
    private string _labels = "";
    private IReadOnlyList<NetworkInfo>? _plan;

    [Inject] private NetworkService Networks { get; set; } = default!;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private EngineDirectory Engines { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    private IEnumerable<string> AdminEngines => Engines.Connections.Select(c => c.Name).Where(e => Permissions.Can(EngineOperations.NetworkCreate, e));

    private IEnumerable<NetworkInfo> Shown => _search.Trim() is { Length: > 0 } text
        ? _networks.Where(n => n.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || (n.Project?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
            || n.Labels.Any(l => $"{l.Key}={l.Value}".Contains(text, StringComparison.OrdinalIgnoreCase)))
        : _networks;

    protected override async Task OnInitializedAsync()
    {
        _engine = AdminEngines.FirstOrDefault();
        _events = StreamFollower.Start(ct => Events.StreamAsync(new EngineEventFilter(Type: "network"), ct), _ => _stale = true, InvokeAsync, ReloadIfStale, e => _error = e.Message);
        await LoadAsync();
    }

    private void ReloadIfStale()
    {
        if (_stale && !_loading)
        {
            _stale = false;
            _ = InvokeAsync(LoadAsync);
        }
    }

    private async Task LoadAsync()
    {
        _loading = true;
        try
        {
            (_networks, _unreachable) = await Networks.ListAsync();
        }
        catch (OperationFailedException e)
        {
            _error = e.Message;
        }
        finally
        {
            _loading = false;
            StateHasChanged();
        }
    }

    private async Task CreateAsync()
    {
        _dialog = Dialog.None;
        try
        {
            await Networks.CreateAsync(_engine!, _name, _driver, _internal, _subnet, _gateway, KeyValueLines.Parse(_labels));
            (_message, _name, _subnet, _gateway, _labels) = ($"Created network {_name.Trim()} on {_engine}.", "", "", "", "");
            await LoadAsync();
        }
        catch (OperationFailedException e)
        {
            _error = e.Message;
        }
    }

    private async Task OpenPruneAsync()
    {
        _dialog = Dialog.Prune;
        await PlanPruneAsync(_engine);
    }

    private async Task PlanPruneAsync(string? engine)
    {
        (_engine, _plan) = (engine, null);
        if (engine is null)
        {
            return;
        }

        try
        {
            _plan = await Networks.PrunePlanAsync(engine);
        }
        catch (OperationFailedException e)
        {
            (_error, _dialog) = (e.Message, Dialog.None);
        }
    }

    private async Task PruneAsync()
    {
        _dialog = Dialog.None;
        if (_plan is not { } plan)
        {
            return;
        }

        var (removed, refused) = await Networks.PruneAsync(plan);
        _message = $"Removed {removed.Count} network{(removed.Count == 1 ? "" : "s")}" + (refused.Count == 0 ? "." : $"; kept {refused.Count}: {string.Join("; ", refused)}.");
        await LoadAsync();
    }

    public ValueTask DisposeAsync() => _events?.DisposeAsync() ?? ValueTask.CompletedTask;
}
