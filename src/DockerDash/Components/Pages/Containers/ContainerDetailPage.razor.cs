using DockerDash.Containers;
using DockerDash.Containers.Create;
using DockerDash.Operations;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DockerDash.Components.Pages.Containers;

public enum DetailDialog
{
    None,
    Stop,
    Kill,
    Rename,
    Remove,
    Recreate,
}

/// <summary>One container: overview, inspect document, processes, and every action, kept current by the store's updates.</summary>
public sealed partial class ContainerDetailPage
{
    public static readonly string[] Signals = ["SIGTERM", "SIGKILL", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];

    private static readonly TimeSpan ProcessRefresh = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _cancel = new();
    private ContainerSubscription? _subscription;
    private RenderThrottle? _reinspect;
    private StreamFollower? _follow;
    private Task? _processLoop;
    private ContainerDetails? _details;
    private ContainerProcesses? _processes;
    private string? _processError;
    private string? _loadError;
    private bool _vanished;
    private readonly NewestRead _reads = new();
    private bool _busy;
    private string _busyText = "";
    private bool _revealEnv;
    private string? _document;
    private string? _documentError;
    private DetailDialog _dialog;
    private int _stopTimeout = 10;
    private string _signal = "SIGTERM";
    private string _newName = "";
    private bool _forceRemove = true;
    private bool _pullBeforeRecreate;
    private bool _removeVolumes;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter] public string Engine { get; set; } = "";

    [Parameter] public string Id { get; set; } = "";

    /// <summary>The open tab, by name, so that a link can open the container at its logs (<c>?tab=logs</c>).</summary>
    [SupplyParameterFromQuery(Name = "tab")] public string? Tab { get; set; }

    [Inject] private ContainerService Containers { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private ContainerRecreate Recreate { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private static DialogOptions DialogOptions { get; } = new() { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseOnEscapeKey = true };

    private ContainerKey Key => new(Engine, Id);

    private string? _loadedId;

    /// <summary>The tabs in the order they are shown (Files and Console only for a caller who may use them).</summary>
    private string[] TabNames =>
    [
        "overview", "logs", "stats", "inspect", "processes",
        .. Can(EngineOperations.ContainerFilesRead) ? new[] { "files" } : [],
        .. CanOpenConsole ? new[] { "console" } : [],
        "image",
    ];

    private bool CanOpenConsole => Can(EngineOperations.ContainerExec) || Can(EngineOperations.ContainerAttach);

    private int TabIndex => Math.Max(0, Array.IndexOf(TabNames, Tab?.ToLowerInvariant() ?? "overview"));

    private bool InspectOpen => TabNames[TabIndex] == "inspect";

    private string? RenameProblem => ContainerCreatePlan.NameProblem(_newName.Trim());

    protected override async Task OnInitializedAsync()
    {
        _breadcrumbs = [new("Containers", "/containers"), new(Id.Length > 12 ? Id[..12] : Id, null, disabled: true)];
        _subscription = Containers.Subscribe();
        _reinspect = new RenderThrottle(TimeSpan.FromMilliseconds(250), () => InvokeAsync(LoadAsync));
        _follow = StreamFollower.Start(_subscription.ReadUpdatesAsync, Apply, InvokeAsync, StateHasChanged);
        _processLoop = RefreshProcessesAsync(_cancel.Token);
        _loadedId = Id;
        await LoadAsync();
    }

    /// <summary>
    /// A recreate or an update moves the page to the container's successor (same route, another id): the same page
    /// instance reads that one afresh rather than go on showing its predecessor.
    /// </summary>
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId is not null && _loadedId != Id)
        {
            _loadedId = Id;
            (_details, _vanished, _document) = (null, false, null);
            _breadcrumbs[1] = new BreadcrumbItem(Id.Length > 12 ? Id[..12] : Id, null, disabled: true);
            await LoadAsync();
        }
    }

    /// <summary>Reads the container again (after an action, and on the store's updates: only the newest read is shown).</summary>
    private async Task LoadAsync()
    {
        var read = _reads.Begin();
        try
        {
            var details = await Containers.InspectAsync(Key, _cancel.Token);
            if (!_reads.IsNewest(read))
            {
                return;
            }

            _details = details;
            _breadcrumbs[1] = new BreadcrumbItem(_details.Name, null, disabled: true);
            _loadError = null;
            if (InspectOpen)
            {
                await LoadDocumentAsync();
            }
        }
        catch (OperationFailedException e) when (e.Failure == OperationFailure.NotFound && _details is not null)
        {
            _vanished = true;
        }
        catch (OperationFailedException e)
        {
            _loadError = e.Message;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        StateHasChanged();
    }

    /// <summary>The engine's own inspect document, read when the Inspect tab is open (and again when the container changes).</summary>
    private async Task LoadDocumentAsync()
    {
        try
        {
            _document = DockerDash.Components.Logs.JsonIndenter.Indented(await Containers.InspectDocumentAsync(Key, _revealEnv, _cancel.Token));
            _documentError = null;
        }
        catch (OperationFailedException e)
        {
            _documentError = e.Message;
        }
    }

    /// <summary>
    /// A tab clicked: put it in the address (replacing it, so Back leaves the page rather than walking its tabs).
    /// Clicks only: MudTabs also reports index changes while its panels come and go (a page closing).
    /// </summary>
    private async Task SelectTabAsync(string name)
    {
        if (name == TabNames[TabIndex])
        {
            return;
        }

        Tab = name;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("tab", name == "overview" ? null : name), replace: true);
        if (name == "inspect")
        {
            await LoadDocumentAsync();
        }
    }

    /// <summary>What the store's change means for this page: the container went away, or it changed and is inspected again.</summary>
    private void Apply(ContainerUpdate update)
    {
        var mine = update.Changes.Where(c => c.Key == Key).ToList();
        if ((update.Reset is { } reset && reset.All(c => c.Key != Key) && _details is not null) || mine.Any(c => c.Kind == ContainerChangeKind.Removed))
        {
            MarkVanished();
        }
        else if (mine.Count > 0 || update.Reset is not null)
        {
            _reinspect?.Request();
        }
    }

    /// <summary>The reveal switch: showing the secrets is recorded in the audit (through the gate, which may still say no).</summary>
    private async Task RevealSecrets(bool reveal)
    {
        if (reveal)
        {
            try
            {
                Containers.RecordSecretsShown(Key);
            }
            catch (OperationFailedException e)
            {
                Snackbar.Add(e.Message, Severity.Warning);
                return;
            }
        }

        _revealEnv = reveal;
        await LoadDocumentAsync();
    }

    private void MarkVanished()
    {
        _vanished = true;
        _dialog = DetailDialog.None;
        StateHasChanged();
    }

    private async Task RefreshProcessesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProcessRefresh);
        try
        {
            do
            {
                if (_details is { } d && (d.IsRunning || d.IsPaused) && !_vanished)
                {
                    try
                    {
                        _processes = await Containers.TopAsync(Key, cancellationToken);
                        _processError = null;
                    }
                    catch (OperationFailedException e)
                    {
                        _processError = e.Message;
                    }

                    await InvokeAsync(StateHasChanged);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The page is closing.
        }
    }

    /// <summary>Whether to offer an action: the gate decides again when it runs.</summary>
    private bool Can(Operation operation) => Permissions.Can(operation, Engine);

    private void Open(DetailDialog dialog)
    {
        _newName = _details?.Name ?? "";
        _dialog = dialog;
    }

    private void Close() => _dialog = DetailDialog.None;

    private Task<bool> StartAsync() => ActAsync("Starting", "Started", () => Containers.StartAsync(Key));

    private Task<bool> StopAsync() => ActAsync("Stopping", "Stopped", () => Containers.StopAsync(Key, (uint)Math.Max(0, _stopTimeout)));

    private Task<bool> RestartAsync() => ActAsync("Restarting", "Restarted", () => Containers.RestartAsync(Key));

    private Task<bool> KillAsync() => ActAsync($"Sending {_signal}", $"Sent {_signal}", () => Containers.KillAsync(Key, _signal));

    private Task<bool> PauseAsync() => ActAsync("Pausing", "Paused", () => Containers.PauseAsync(Key));

    private Task<bool> UnpauseAsync() => ActAsync("Unpausing", "Unpaused", () => Containers.UnpauseAsync(Key));

    private Task<bool> RenameAsync() => ActAsync("Renaming", $"Renamed to {_newName.Trim()}", () => Containers.RenameAsync(Key, _newName.Trim()));

    private async Task RemoveAsync()
    {
        if (await ActAsync("Removing", "Removed", () => Containers.RemoveAsync(Key, _forceRemove, _removeVolumes)))
        {
            Navigation.NavigateTo("/containers");
        }
    }

    /// <summary>Replaces the container; the page moves to the new one (its id changed), and the toast says what changed.</summary>
    private async Task RecreateAsync()
    {
        RecreateResult? result = null;
        if (await ActAsync(_pullBeforeRecreate ? "Pulling, then recreating" : "Recreating", "Recreated", async () => result = await Recreate.RecreateAsync(Key, _pullBeforeRecreate)))
        {
            Snackbar.Add(result!.Message, Severity.Info);
            Navigation.NavigateTo($"/containers/{Uri.EscapeDataString(Engine)}/{result.Id}");
        }
    }

    /// <summary>Runs one action with a progress indicator, then shows its outcome and re-reads the container.</summary>
    private async Task<bool> ActAsync(string doing, string done, Func<Task> action)
    {
        _dialog = DetailDialog.None;
        _busy = true;
        _busyText = doing + "…";
        StateHasChanged();
        try
        {
            var ok = await Snackbar.RunAsync($"{done}: {_details?.Name}.", action);
            if (ok)
            {
                await LoadAsync();
            }

            return ok;
        }
        finally
        {
            _busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_follow is not null)
        {
            await _follow.DisposeAsync();
        }

        await _cancel.CancelAsync();
        if (_processLoop is not null)
        {
            await _processLoop;
        }

        _subscription?.Dispose();
        _reinspect?.Dispose();
        _cancel.Dispose();
    }
}
