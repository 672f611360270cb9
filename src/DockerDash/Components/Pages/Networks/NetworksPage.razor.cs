using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Networks;
using DockerDash.Operations;
using Microsoft.AspNetCore.Components;

namespace DockerDash.Components.Pages.Networks;

/// <summary>Every engine's networks with their containers and addresses, kept current by network events; create and prune for Admins.</summary>
public sealed partial class NetworksPage : ComponentBase, IAsyncDisposable
{
    private IReadOnlyList<NetworkInfo> _networks = [];
    private IReadOnlyList<string> _unreachable = [];
    private ReloadOnEvents? _events;
    private bool _loading = true;
    private string _search = "";
    private string? _error;
    private string? _message;
    private ManageDialog _dialog;
    private string? _engine;
    private string _name = "";
    private string _driver = "";
    private bool _internal;
    private string _subnet = "";
    private string _gateway = "";
    private string _labels = "";

    [Inject] private NetworkService Networks { get; set; } = default!;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private EngineDirectory Engines { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    private IReadOnlyList<string> AdminEngines => [.. Engines.Connections.Select(c => c.Name).Where(e => Permissions.Can(EngineOperations.NetworkCreate, e))];

    private IEnumerable<NetworkInfo> Shown => _search.Trim() is { Length: > 0 } text
        ? _networks.Where(n => ListSearch.Matches(text, n.Name, n.Project, n.Labels))
        : _networks;

    protected override async Task OnInitializedAsync()
    {
        _engine = AdminEngines.Count > 0 ? AdminEngines[0] : null;
        _events = ReloadOnEvents.Start(Events, new EngineEventFilter(Type: "network"), _ => true, InvokeAsync, LoadAsync, e => _error = e.Message);
        await LoadAsync();
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
        _dialog = ManageDialog.None;
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

    private async Task PrunedAsync(string outcome)
    {
        _message = outcome;
        await LoadAsync();
    }

    public ValueTask DisposeAsync() => _events?.DisposeAsync() ?? ValueTask.CompletedTask;
}
