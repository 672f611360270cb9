using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Operations;
using DockerDash.Volumes;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DockerDash.Components.Pages.Volumes;

/// <summary>Every engine's volumes, with size and users, kept current by volume events (and container create/destroy); create and prune for Admins.</summary>
public sealed partial class VolumesPage : ComponentBase, IAsyncDisposable
{
    private enum Dialog
    {
        None,
        Create,
        Prune,
    }

    private static DialogOptions DialogOptions { get; } = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    private IReadOnlyList<VolumeInfo> _volumes = [];
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
    private string _options = "";
    private string _labels = "";
    private VolumePrunePlan? _plan;

    [Inject] private VolumeService Volumes { get; set; } = default!;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private EngineDirectory Engines { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    private IEnumerable<string> AdminEngines => Engines.Connections.Select(c => c.Name).Where(e => Permissions.Can(EngineOperations.VolumeCreate, e));

    private bool AdminSomewhere => AdminEngines.Any();

    private IEnumerable<VolumeInfo> Shown => _search.Trim() is { Length: > 0 } text
        ? _volumes.Where(v => v.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || (v.Project?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
            || v.Labels.Any(l => $"{l.Key}={l.Value}".Contains(text, StringComparison.OrdinalIgnoreCase)))
        : _volumes;

    protected override async Task OnInitializedAsync()
    {
        _engine = AdminEngines.FirstOrDefault();
        _events = StreamFollower.Start(ct => Events.StreamAsync(new EngineEventFilter(), ct), Changed, InvokeAsync, ReloadIfStale, e => _error = e.Message);
        await LoadAsync();
    }

    /// <summary>Volume events, and containers made or removed (their mounts change who uses a volume).</summary>
    private void Changed(EngineEvent e) =>
        _stale |= e.Type == "volume" || (e.Type == "container" && e.Action is "create" or "destroy");

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
            (_message, _dialog, _name, _options, _labels) = ($"Created volume {created.Name} on {created.Engine}.", Dialog.None, "", "", "");
            await LoadAsync();
        }
        catch (OperationFailedException e)
        {
            (_error, _dialog) = (e.Message, Dialog.None);
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
            _plan = await Volumes.PrunePlanAsync(engine);
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

        var (removed, refused, space) = await Volumes.PruneAsync(plan);
        _message = $"Removed {removed.Count} volume{(removed.Count == 1 ? "" : "s")} ({Formats.Bytes(space)} back)"
            + (refused.Count == 0 ? "." : $"; kept {refused.Count}: {string.Join("; ", refused)}.");
        await LoadAsync();
    }

    public ValueTask DisposeAsync() => _events?.DisposeAsync() ?? ValueTask.CompletedTask;
}
