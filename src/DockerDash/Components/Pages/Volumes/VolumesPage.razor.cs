using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Operations;
using DockerDash.Volumes;
using Microsoft.AspNetCore.Components;

namespace DockerDash.Components.Pages.Volumes;

/// <summary>Every engine's volumes, with size and users, kept current by volume events (and container create/destroy); create and prune for Admins.</summary>
public sealed partial class VolumesPage : ComponentBase, IAsyncDisposable
{
    private IReadOnlyList<VolumeInfo> _volumes = [];
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
    private string _options = "";
    private string _labels = "";

    [Inject] private VolumeService Volumes { get; set; } = default!;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private EngineDirectory Engines { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    private IReadOnlyList<string> AdminEngines => [.. Engines.Connections.Select(c => c.Name).Where(e => Permissions.Can(EngineOperations.VolumeCreate, e))];

    private bool AdminSomewhere => AdminEngines.Count > 0;

    private IEnumerable<VolumeInfo> Shown => _search.Trim() is { Length: > 0 } text
        ? _volumes.Where(v => ListSearch.Matches(text, v.Name, v.Project, v.Labels))
        : _volumes;

    protected override async Task OnInitializedAsync()
    {
        _engine = AdminEngines.Count > 0 ? AdminEngines[0] : null;
        _events = ReloadOnEvents.Start(Events, new EngineEventFilter(), Matters, InvokeAsync, LoadAsync, e => _error = e.Message);
        await LoadAsync();
    }

    /// <summary>Volume events, and containers made or removed (their mounts change who uses a volume).</summary>
    private static bool Matters(EngineEvent e) =>
        e.Type == "volume" || (e.Type == "container" && e.Action is "create" or "destroy");

    private async Task LoadAsync()
    {
        _loading = true;
        try
        {
            (_volumes, _unreachable) = await Volumes.ListAsync();
            _error = null;
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
        try
        {
            var created = await Volumes.CreateAsync(_engine!, _name, _driver, KeyValueLines.Parse(_options), KeyValueLines.Parse(_labels));
            (_message, _dialog, _name, _options, _labels) = ($"Created volume {created.Name} on {created.Engine}.", ManageDialog.None, "", "", "");
            await LoadAsync();
        }
        catch (OperationFailedException e)
        {
            (_error, _dialog) = (e.Message, ManageDialog.None);
        }
    }

    private async Task PrunedAsync(string outcome)
    {
        _message = outcome;
        await LoadAsync();
    }

    public ValueTask DisposeAsync() => _events?.DisposeAsync() ?? ValueTask.CompletedTask;
}
