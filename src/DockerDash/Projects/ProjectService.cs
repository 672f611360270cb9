using Docker.DotNet.Models;
using DockerDash.Callers;
using DockerDash.Containers;
using DockerDash.Images;
using DockerDash.Jobs;
using DockerDash.Operations;
using Microsoft.Extensions.Options;
using static DockerDash.Operations.EngineOperations;

namespace DockerDash.Projects;

/// <summary>What can be done to a whole compose project.</summary>
public enum ProjectAction
{
    Start,
    Stop,
    Restart,
    Pause,
    Unpause,
    Pull,
    Recreate,
    Down,
}

/// <summary>What a "down" would remove: shown before anything is removed.</summary>
public sealed record DownPlan(IReadOnlyList<ContainerInfo> Containers, IReadOnlyList<string> Networks, IReadOnlyList<string> Volumes);

/// <summary><c>DockerDash:Projects</c>.</summary>
public sealed class ProjectOptions
{
    public const string SectionName = "DockerDash:Projects";

    /// <summary>Show a project's compose files when DockerDash runs where they are and may read them (off by default).</summary>
    public bool ReadComposeFiles { get; set; }
}

/// <summary>
/// Compose projects for the caller of the current scope: listed from the containers they may see, and acted on as a
/// whole (a job with a line per container, in dependency order). The whole action is authorised and audited as a
/// <c>project.*</c> operation, and every container in it passes the gate on its own as well.
/// </summary>
public sealed class ProjectService(
    ContainerService containers, ContainerRecreate recreate, ImageService images, OperationGate gate, JobRunner jobs, CallerContext caller, IOptions<ProjectOptions> options)
{
    private Caller Caller => caller.Current;

    public IReadOnlyList<ProjectInfo> List()
    {
        using var subscription = containers.Subscribe();
        return ProjectInfo.From(subscription.Snapshot);
    }

    public ProjectInfo? Find(string engine, string project) =>
        List().FirstOrDefault(p => p.Engine == engine && p.Name == project);

    public static Operation OperationOf(ProjectAction action) => action switch
    {
        ProjectAction.Pull => ProjectPull,
        ProjectAction.Recreate => ProjectRecreate,
        ProjectAction.Down => ProjectDown,
        _ => ProjectControl,
    };

    public bool Can(string engine, ProjectAction action) => gate.IsAllowed(Caller, OperationOf(action), engine);

    /// <summary>The project by name, once the caller may do <paramref name="operation"/> on its engine (refusal first, so that a name reveals nothing).</summary>
    public ProjectInfo Authorized(string engine, string project, Operation operation)
    {
        gate.Authorize(Caller, operation, engine, project);
        return Find(engine, project)
            ?? throw new OperationFailedException($"No container you may see on engine '{engine}' belongs to compose project '{project}'.", OperationFailure.NotFound);
    }

    public Task<DownPlan> DownPlanAsync(string engine, string project, CancellationToken cancellationToken = default) =>
        DownPlanAsync(Authorized(engine, project, ProjectInspect), cancellationToken);

    public Job Start(string engine, string project, ProjectAction action, bool removeNetworksAndVolumes = false) =>
        Start(Authorized(engine, project, OperationOf(action)), action, removeNetworksAndVolumes);

    /// <summary>The project's containers, and the networks and volumes Compose made for it (by their project label).</summary>
    public Task<DownPlan> DownPlanAsync(ProjectInfo project, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ProjectInspect, project.Engine, project.Name, async (client, ct) =>
        {
            var label = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ComposeLabels.Project}={project.Name}"] = true } };
            var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = label }, ct);
            var volumes = await client.Volumes.ListAsync(new VolumesListParameters { Filters = label }, ct);
            return new DownPlan(
                [.. project.Containers.OrderBy(c => c.Name, StringComparer.Ordinal)],
                [.. networks.Select(n => n.Name).Order(StringComparer.Ordinal)],
                [.. (volumes.Volumes ?? []).Select(v => v.Name).Order(StringComparer.Ordinal)]);
        }, cancellationToken);

    /// <summary>
    /// Starts <paramref name="action"/> on every container of the project as one job: starting, unpausing, pulling and
    /// recreating go in dependency order (one container at a time), stopping, pausing and down the other way.
    /// </summary>
    public Job Start(ProjectInfo project, ProjectAction action, bool removeNetworksAndVolumes = false)
    {
        var who = Caller;
        var operation = OperationOf(action);
        gate.Authorize(who, operation, project.Engine, project.Name);
        var order = project.StartOrder();
        var steps = action is ProjectAction.Stop or ProjectAction.Pause or ProjectAction.Down ? order.Reverse().ToList() : order.ToList();
        var title = $"{Doing(action)} project {project.Name}";
        return jobs.Start("project." + action.ToString().ToLowerInvariant(), title, project.Engine, who, async job =>
        {
            var failures = new List<string>();
            var done = 0;
            var pulled = new HashSet<string>(StringComparer.Ordinal);
            foreach (var container in steps.SelectMany(s => s.Containers))
            {
                try
                {
                    // Replicas share their image: it is pulled once.
                    var line = action == ProjectAction.Pull && !pulled.Add(container.Image)
                        ? $"{container.Image} pulled above"
                        : await StepAsync(action, container, job.Cancellation);
                    done++;
                    job.ReportLine($"{container.Name}: {line}");
                }
                catch (OperationFailedException e)
                {
                    failures.Add($"{container.Name} ({e.Message})");
                    job.ReportLine($"{container.Name}: {e.Message}");
                }
            }

            if (action == ProjectAction.Down && removeNetworksAndVolumes && failures.Count == 0)
            {
                failures.AddRange(await RemoveNetworksAndVolumesAsync(project, job));
            }

            var summary = $"{Doing(action)} project {project.Name}: {done} of {project.Total} container{(project.Total == 1 ? "" : "s")} done"
                + (failures.Count == 0 ? "." : $"; {failures.Count} failed: {string.Join("; ", failures)}.");
            gate.AuditEnded(who, operation, project.Engine, project.Name, failures.Count == 0, summary);
            return failures.Count == 0 ? summary : throw new OperationFailedException(summary, OperationFailure.Refused);
        });
    }

    private async Task<string> StepAsync(ProjectAction action, ContainerInfo container, CancellationToken cancellationToken)
    {
        var key = container.Key;
        switch (action)
        {
            case ProjectAction.Start:
                return await containers.StartAsync(key, cancellationToken) ? "started" : "already running";
            case ProjectAction.Stop:
                return await containers.StopAsync(key, cancellationToken: cancellationToken) ? "stopped" : "already stopped";
            case ProjectAction.Restart:
                await containers.RestartAsync(key, cancellationToken: cancellationToken);
                return "restarted";
            case ProjectAction.Pause when container.IsRunning:
                await containers.PauseAsync(key, cancellationToken);
                return "paused";
            case ProjectAction.Unpause when container.IsPaused:
                await containers.UnpauseAsync(key, cancellationToken);
                return "unpaused";
            case ProjectAction.Pause or ProjectAction.Unpause:
                return $"left as it was ({container.State})";
            case ProjectAction.Pull:
                return await PullAsync(container);
            case ProjectAction.Recreate:
                return (await recreate.RecreateAsync(key, ProjectRecreate, cancellationToken)).Message;
            default:
                await containers.RemoveAsync(key, force: true, cancellationToken: cancellationToken);
                return "removed";
        }
    }

    private async Task<string> PullAsync(ContainerInfo container)
    {
        var pull = images.StartPull(container.Engine, container.Image);
        await pull.Completion;
        return pull.State == JobState.Succeeded ? $"pulled {container.Image}" : throw new OperationFailedException(pull.Outcome ?? "the pull failed", OperationFailure.Refused);
    }

    private async Task<List<string>> RemoveNetworksAndVolumesAsync(ProjectInfo project, Job job)
    {
        var plan = await DownPlanAsync(project, job.Cancellation);
        var failures = new List<string>();
        foreach (var (kind, name) in plan.Networks.Select(n => ("network", n)).Concat(plan.Volumes.Select(v => ("volume", v))))
        {
            try
            {
                await gate.RunAsync(Caller, ProjectDown, project.Engine, $"{kind} {name}", (client, ct) =>
                    kind == "network" ? client.Networks.DeleteNetworkAsync(name, ct) : client.Volumes.RemoveAsync(name, false, ct), job.Cancellation);
                job.ReportLine($"{kind} {name}: removed");
            }
            catch (OperationFailedException e)
            {
                failures.Add($"{kind} {name} ({e.Message})");
                job.ReportLine($"{kind} {name}: {e.Message}");
            }
        }

        return failures;
    }

    /// <summary>
    /// The project's compose files as they are on this machine, when <c>DockerDash:Projects:ReadComposeFiles</c> allows it and
    /// the caller may see secrets (compose files hold environment values); otherwise the reason they are not shown.
    /// </summary>
    public async Task<(IReadOnlyList<(string Path, string Text)> Files, string? Reason)> ComposeFilesAsync(ProjectInfo project, CancellationToken cancellationToken = default)
    {
        if (!options.Value.ReadComposeFiles)
        {
            return ([], "Reading compose files is off (DockerDash:Projects:ReadComposeFiles).");
        }

        if (!gate.IsAllowed(Caller, ContainerSecrets, project.Engine))
        {
            return ([], "Compose files may hold secrets: only a caller who may see them (Admin) reads them here.");
        }

        var files = new List<(string, string)>();
        // v2 labels absolute paths; v1 (docker-compose 1.29) paths relative to the working directory.
        var paths = project.ConfigFiles
            .Select(f => Path.IsPathFullyQualified(f) ? f : project.WorkingDir is { } dir && Path.IsPathFullyQualified(dir) ? Path.Combine(dir, f) : null)
            .OfType<string>();
        foreach (var path in paths)
        {
            var file = new FileInfo(path);
            if (!file.Exists || file.Length > 256 * 1024 || !(file.Name.EndsWith(".yml", StringComparison.Ordinal) || file.Name.EndsWith(".yaml", StringComparison.Ordinal)))
            {
                continue;
            }

            files.Add((path, await File.ReadAllTextAsync(path, cancellationToken)));
        }

        return files.Count > 0 ? (files, null) : ([], "Its compose files are not on this machine (or not readable by DockerDash).");
    }

    public static string Doing(ProjectAction action) => action switch
    {
        ProjectAction.Start => "Starting",
        ProjectAction.Stop => "Stopping",
        ProjectAction.Restart => "Restarting",
        ProjectAction.Pause => "Pausing",
        ProjectAction.Unpause => "Unpausing",
        ProjectAction.Pull => "Pulling",
        ProjectAction.Recreate => "Recreating",
        _ => "Taking down",
    };
}
