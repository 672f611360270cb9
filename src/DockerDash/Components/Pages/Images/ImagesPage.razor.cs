using DockerDash.Components.Jobs;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Images;
using DockerDash.Operations;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace DockerDash.Components.Pages.Images;

/// <summary>Every engine's images: filter, pull (in the background, followed in the jobs panel), remove, prune, search the index.</summary>
public sealed partial class ImagesPage
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly NewestRead _reads = new();
    private IReadOnlyList<ImageInfo> _images = [];
    private IReadOnlyList<ImageSearchHit> _hits = [];
    private List<string> _engines = [];
    private RenderThrottle? _reload;
    private StreamFollower? _imageEvents;
    private string? _filter;
    private bool _onlyDangling;
    private bool _loading = true;
    private string? _error;
    private string? _pullEngine;
    private string? _pullReference;
    private string? _pullUser;
    private string? _pullPassword;
    private string? _searchTerm;
    private string? _searchError;
    private ImageInfo? _removing;
    private bool _removeForce;
    private bool _removeKeepParents;
    private string? _uploadEngine;
    private string? _importReference;
    private string? _uploadResult;
    private bool _uploadFailed;
    private bool _uploading;
    private ElementReference _uploadFile;
    private BrowserUpload? _upload;

    [Inject] private ImageService Images { get; set; } = default!;

    [Inject] private EventService Events { get; set; } = default!;

    [Inject] private EngineDirectory Engines { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    [Inject] private JobsPanelState Panel { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    private List<string> BuildEngines => _engines.Where(e => Permissions.Can(EngineOperations.ImageBuild, e)).ToList();

    private List<string> LoadEngines => _engines.Where(e => Permissions.Can(EngineOperations.ImageLoad, e)).ToList();

    private string? ImportProblem => string.IsNullOrWhiteSpace(_importReference) ? null : ImageReference.Problem(_importReference.Trim());

    private List<string> PullEngines => _engines.Where(e => Permissions.Can(EngineOperations.ImagePull, e)).ToList();

    private string? PullProblem => string.IsNullOrWhiteSpace(_pullReference) ? null : ImageReference.Problem(_pullReference.Trim());

    private IEnumerable<ImageInfo> Visible => _images
        .Where(i => !_onlyDangling || i.Dangling)
        .Where(i => string.IsNullOrWhiteSpace(_filter) || i.Id.Contains(_filter.Trim(), StringComparison.OrdinalIgnoreCase) || i.Tags.Any(t => t.Contains(_filter.Trim(), StringComparison.OrdinalIgnoreCase)))
        .OrderBy(i => (i.Tags.Count > 0 ? i.Tags[0] : "~"), StringComparer.OrdinalIgnoreCase);

    protected override async Task OnInitializedAsync()
    {
        _engines = Engines.States.Where(s => s.IsUp).Select(s => s.Name).ToList();
        _pullEngine = PullEngines.Count > 0 ? PullEngines[0] : null;
        _uploadEngine = LoadEngines.Count > 0 ? LoadEngines[0] : null;
        _reload = new RenderThrottle(TimeSpan.FromSeconds(1), () => InvokeAsync(LoadAsync));
        await LoadAsync();
        // Pulls, tags, removals and builds anywhere (this page or another) show up without a reload. A caller who
        // may watch no engine's events gets none: the list still reloads on actions.
        _imageEvents = StreamFollower.Start(ct => Events.StreamAsync(new EngineEventFilter(Type: "image"), ct), _ => _reload?.Request(), InvokeAsync, () => { });
    }

    /// <summary>Reads the list again (after an action, and on image events: only the newest read is shown).</summary>
    private async Task LoadAsync()
    {
        var read = _reads.Begin();
        try
        {
            var images = await Images.ListAsync(_cancel.Token);
            if (!_reads.IsNewest(read))
            {
                return;
            }

            (_images, _error) = (images, null);
        }
        catch (OperationFailedException e)
        {
            _error = e.Message;
        }

        _loading = false;
        StateHasChanged();
    }

    private void Pull()
    {
        try
        {
            var credentials = string.IsNullOrWhiteSpace(_pullUser) ? null : new RegistryCredentials(_pullUser.Trim(), _pullPassword ?? "");
            Images.StartPull(_pullEngine ?? "", _pullReference ?? "", credentials);
            _pullPassword = null;
            Panel.Open();
        }
        catch (OperationFailedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
    }

    private void AskRemove(ImageInfo image) => (_removing, _removeForce, _removeKeepParents) = (image, false, false);

    private static string NameOf(ImageInfo image) => image.Tags.Count > 0 ? image.Tags[0] : image.ShortId;

    /// <summary>Removes the image asked about (by its first tag, so other tags keep it); the engine's conflict message is shown as it says it.</summary>
    private async Task RemoveAsync()
    {
        if (_removing is not { } image)
        {
            return;
        }

        _removing = null;
        try
        {
            await Images.RemoveAsync(image.Engine, image.Tags.Count > 0 ? image.Tags[0] : image.Id, _removeForce, _removeKeepParents, _cancel.Token);
            Snackbar.Add($"Removed {NameOf(image)}.", Severity.Success);
        }
        catch (OperationFailedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }

        await LoadAsync();
    }

    private async Task PruneAsync(string engine)
    {
        try
        {
            var result = await Images.PruneDanglingAsync(engine, _cancel.Token);
            Snackbar.Add($"Removed {result.ImagesDeleted} dangling image{(result.ImagesDeleted == 1 ? "" : "s")} on {engine}; {DockerDash.Components.Formats.Bytes(result.SpaceReclaimed)} reclaimed.", Severity.Success);
        }
        catch (OperationFailedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }

        await LoadAsync();
    }

    private Task LoadTarAsync() => UploadAsync($"/images/{Uri.EscapeDataString(_uploadEngine ?? "")}/load");

    private Task ImportAsync() => UploadAsync($"/images/{Uri.EscapeDataString(_uploadEngine ?? "")}/import?reference={Uri.EscapeDataString(_importReference?.Trim() ?? "")}");

    /// <summary>Sends the chosen file from the browser straight to the endpoint (streamed; the gate checks it there).</summary>
    private async Task UploadAsync(string url)
    {
        _uploading = true;
        _upload ??= new BrowserUpload(JS);
        var (ok, text) = await _upload.SendAsync(_uploadFile, url);
        (_uploadFailed, _uploadResult, _uploading) = (!ok, text, false);
        await LoadAsync();
    }

    private async Task SearchAsync()
    {
        _searchError = null;
        _hits = [];
        try
        {
            _hits = await Images.SearchAsync(_pullEngine ?? (_engines.Count > 0 ? _engines[0] : ""), _searchTerm ?? "", _cancel.Token);
            _searchError = _hits.Count == 0 ? "Nothing found." : null;
        }
        catch (OperationFailedException e)
        {
            _searchError = e.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_imageEvents is not null)
        {
            await _imageEvents.DisposeAsync();
        }

        await _cancel.CancelAsync();
        _cancel.Dispose();
        _reload?.Dispose();
        if (_upload is not null)
        {
            await _upload.DisposeAsync();
        }
    }
}
