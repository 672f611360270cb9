using DockerDash.Containers;
using DockerDash.Operations;
using DockerDash.Projects;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DockerDash.Components.Pages.Projects;

/// <summary>
/// A compose project: its services and their containers (live, from the container store), networks and volumes they
/// use (from inspecting them), its compose files where allowed, and whole-project actions as jobs.
/// </summary>
public sealed partial class ProjectPage : ComponentBase, IAsyncDisposable
{
    private static readonly ProjectAction[] Actions = Enum.GetValues<ProjectAction>();
    private static DialogOptions DialogOptions { get; } = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    private readonly DockerDash.Components.Pages.Containers.ContainerListView _rows = new();
    private List<BreadcrumbItem> _breadcrumbs = [];
    private ContainerSubscription? _subscription;
    private StreamFollower? _follow;
    private ProjectInfo? _project;
    private List<string> _networks = [];
    private List<string> _mounts = [];
    private IReadOnlyList<(string Path, string Text)> _composeFiles = [];
    private string? _composeReason;
    private ProjectAction? _asking;
    private DownPlan? _downPlan;
    private bool _removeNetworksAndVolumes;
    private bool _busy;
    private string? _busyText;
    private string? _outcome;
    private bool _failed;

    [Parameter] public string Engine { get; set; } = "";

    [Parameter] public string Project { get; set; } = "";

    [Inject] private ContainerService Containers { get; set; } = default!;

    [Inject] private ProjectService Projects { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _breadcrumbs = [new("Containers", "/containers?group=true"), new($"{Project} on {Engine}", null, disabled: true)];
        _subscription = Containers.Subscribe();
        _rows.Reset(_subscription.Snapshot);
        Refresh();
        _follow = StreamFollower.Start(_subscription.ReadUpdatesAsync, _rows.Apply, InvokeAsync, Refresh);
        if (_project is { } project)
        {
            await ReadDetailsAsync(project);
        }
    }

    private void Refresh()
    {
        _project = ProjectInfo.From(_rows.Visible).FirstOrDefault(p => p.Engine == Engine && p.Name == Project);
        StateHasChanged();
    }

    /// <summary>Networks and mounts come from inspecting each container (the list does not carry them); compose files if allowed.</summary>
    private async Task ReadDetailsAsync(ProjectInfo project)
    {
        var networks = new SortedSet<string>(StringComparer.Ordinal);
        var mounts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var container in project.Containers)
        {
            try
            {
                var details = await Containers.InspectAsync(container.Key);
                networks.UnionWith(details.Networks.Select(n => n.Name));
                mounts.UnionWith(details.Mounts.Select(m => $"{(m.Type == "volume" ? m.Source.Split('/').SkipLast(1).LastOrDefault() ?? m.Source : m.Source)} → {m.Destination}"));
            }
            catch (OperationFailedException)
            {
                // Gone since the list: the live rows say so.
            }
        }

        (_networks, _mounts) = ([.. networks], [.. mounts]);
        (_composeFiles, _composeReason) = await Projects.ComposeFilesAsync(project);
    }

    private static string Explain(ProjectAction action) => action switch
    {
        ProjectAction.Stop => "Stops every container of the project, those depended on last.",
        ProjectAction.Pause => "Pauses every running container of the project.",
        ProjectAction.Pull => "Pulls the image of every container again; running containers keep their image until recreated.",
        ProjectAction.Recreate => "Replaces each container, one at a time in dependency order, with a new one of the same configuration (and the image its tag names now); a container that cannot be replaced is put back as it was.",
        ProjectAction.Restart => "Restarts every container of the project, in dependency order.",
        _ => $"{ProjectService.Doing(action)} every container of the project, in dependency order.",
    };

    private async Task AskAsync(ProjectAction action)
    {
        (_asking, _downPlan, _removeNetworksAndVolumes) = (action, null, false);
        if (action == ProjectAction.Down && _project is { } project)
        {
            try
            {
                _downPlan = await Projects.DownPlanAsync(project);
            }
            catch (OperationFailedException e)
            {
                (_asking, _outcome, _failed) = (null, e.Message, true);
            }
        }
    }

    private async Task RunAsync()
    {
        if (_asking is not { } action || _project is not { } project)
        {
            return;
        }

        _asking = null;
        (_busy, _busyText, _outcome) = (true, $"{ProjectService.Doing(action)}…", null);
        try
        {
            var job = Projects.Start(project, action, _removeNetworksAndVolumes);
            await job.Completion;
            (_outcome, _failed) = (job.Outcome, job.State != DockerDash.Jobs.JobState.Succeeded);
        }
        catch (OperationFailedException e)
        {
            (_outcome, _failed) = (e.Message, true);
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

        _subscription?.Dispose();
    }
}
