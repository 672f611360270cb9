using Docker.DotNet;
using Docker.DotNet.Models;
using DockerDash.Callers;
using DockerDash.Containers;
using DockerDash.Images;
using DockerDash.Jobs;
using DockerDash.Operations;
using DockerDash.Projects;
using Microsoft.Extensions.Options;
using static DockerDash.Operations.EngineOperations;

namespace DockerDash.Updates;

/// <summary>
/// Updates containers to what their tags name now, as jobs: per container, pull its own reference (with the saved
/// credentials of its registry), and when that brought a different image, recreate it with the same configuration
/// (<see cref="ContainerRecreate"/>) and watch the new one (<see cref="UpdateWatch"/>); if it fails, the previous container
/// comes back and the job says so. A digest-pinned container is never touched. A project goes in dependency order, one
/// container at a time, and stops at the first that fails; so does a set of containers sharing an image.
/// </summary>
public sealed class ContainerUpdater(
    OperationGate gate, CallerContext caller, JobRunner jobs, UpdateChecker checker, RegistryLookup registries, ContainerService containers, IOptions<UpdateOptions> options)
{
    private Caller Caller => caller.Current;

    public bool CanUpdate(string engine) => gate.IsAllowed(Caller, ContainerImageUpdate, engine);

    /// <summary>Checks now what <paramref name="scope"/> names (<c>update.check</c> on each engine).</summary>
    public Task<UpdateCheckResult> CheckAsync(UpdateScope scope, CancellationToken cancellationToken = default) =>
        checker.CheckAsync(Caller, scope, cancellationToken);

    /// <summary>What the last checks found, on the engines the caller may check.</summary>
    public IReadOnlyList<ContainerUpdateState> List() => checker.StatesFor(Caller);

    /// <summary>Updates one container (<c>container.update</c>).</summary>
    public Job UpdateContainer(ContainerKey key)
    {
        var who = Caller;
        gate.Authorize(who, ContainerImageUpdate, key.Engine, key.Id);
        using var subscription = containers.Subscribe();
        var name = subscription.Snapshot.FirstOrDefault(c => c.Engine == key.Engine && (c.Id == key.Id || c.Name == key.Id))?.Name ?? key.Id;
        return Run(who, ContainerImageUpdate, key.Engine, $"Update {name}", [key], audit: null);
    }

    /// <summary>Updates every container of a compose project (<c>project.update</c>), in dependency order.</summary>
    public Job UpdateProject(string engine, string project)
    {
        var who = Caller;
        gate.Authorize(who, ProjectUpdate, engine, project);
        using var subscription = containers.Subscribe();
        var found = ProjectInfo.From(subscription.Snapshot).FirstOrDefault(p => p.Engine == engine && p.Name == project)
            ?? throw new OperationFailedException($"No container you may see on engine '{engine}' belongs to compose project '{project}'.", OperationFailure.NotFound);
        var order = found.StartOrder().SelectMany(s => s.Containers).Select(c => c.Key).ToList();
        return Run(who, ProjectUpdate, engine, $"Update project {project}", order, audit: project);
    }

    /// <summary>Updates every container on <paramref name="engine"/> created from <paramref name="reference"/> (after a promote, say).</summary>
    public async Task<Job> UpdateImageAsync(string engine, string reference, CancellationToken cancellationToken = default)
    {
        var who = Caller;
        gate.Authorize(who, ContainerImageUpdate, engine, reference);
        var name = RegistryImageName.Parse(reference.Trim())
            ?? throw new OperationFailedException($"'{reference}' is not a tag reference (a digest-pinned or local image is never updated).", OperationFailure.Invalid);
        var running = await checker.CheckAsync(who, new UpdateScope(engine, Reference: name.ToString()), cancellationToken);
        return Run(who, ContainerImageUpdate, engine, $"Update the containers of {reference}", running.States.Select(s => new ContainerKey(s.Engine, s.Id)).ToList(), audit: null);
    }

    /// <summary>The containers on <paramref name="engine"/> that run <paramref name="reference"/>, by name.</summary>
    public async Task<IReadOnlyList<string>> RunningAsync(string engine, string reference, CancellationToken cancellationToken = default) =>
        RegistryImageName.Parse(reference.Trim()) is { } name
            ? (await checker.CheckAsync(Caller, new UpdateScope(engine, Reference: name.ToString()), cancellationToken)).States.Select(s => s.Name).ToList()
            : [];

    private Job Run(Caller who, Operation operation, string engine, string title, List<ContainerKey> keys, string? audit) =>
        jobs.Start("update", title, engine, who, async job =>
        {
            var done = new List<string>();
            foreach (var key in keys)
            {
                try
                {
                    var line = await UpdateOneAsync(who, operation, key, job);
                    job.ReportLine(line);
                    done.Add(line);
                }
                catch (OperationFailedException e)
                {
                    var left = keys.Count - done.Count - 1;
                    var summary = e.Message + (left > 0 ? $" {left} more container{(left == 1 ? " was" : "s were")} not updated." : "");
                    if (audit is not null)
                    {
                        gate.AuditEnded(who, operation, engine, audit, false, summary);
                    }

                    throw new OperationFailedException(summary, e.Failure);
                }
            }

            var outcome = keys.Count == 0 ? "No container runs that image." : keys.Count == 1 ? done[0] : $"{title}: {keys.Count} containers done. " + string.Join(" ", done);
            if (audit is not null)
            {
                gate.AuditEnded(who, operation, engine, audit, true, outcome);
            }

            return outcome;
        });

    private async Task<string> UpdateOneAsync(Caller who, Operation operation, ContainerKey key, Job job)
    {
        var (id, line) = await gate.RunAsync(who, operation, key.Engine, key.Id, (client, ct) => PullAndReplaceAsync(client, key.Id, job, ct), job.Cancellation);
        if (id != key.Id)
        {
            checker.Forget(key);
        }

        try
        {
            await checker.CheckAsync(who, new UpdateScope(key.Engine, Container: id), job.Cancellation);
        }
        catch (OperationFailedException)
        {
            // The update is done; what the registry says now shows at the next check.
        }

        return line;
    }

    private async Task<(string Id, string Line)> PullAndReplaceAsync(IDockerClient client, string id, Job job, CancellationToken cancellationToken)
    {
        var old = await client.Containers.InspectContainerAsync(id, cancellationToken);
        var name = old.Name.TrimStart('/');
        var reference = old.Config?.Image ?? "";
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return (old.ID, $"{name}: pinned by digest ({reference}); left as it is.");
        }

        if (RegistryImageName.Parse(reference) is not { } image || reference.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return (old.ID, $"{name}: runs a local image ({reference}), nothing to pull; left as it is.");
        }

        var running = await client.Images.InspectImageAsync(old.Image, cancellationToken);
        if (!(running.RepoDigests ?? []).Any(d => RegistryImageName.RepositoryKeyOf(d) == image.RepositoryKey))
        {
            // Built, loaded or tagged here: its name may be a registry's (a Docker Hub one, by default) that never served it.
            return (old.ID, $"{name}: its image {reference} was made here, not pulled from {image.Registry}; left as it is.");
        }

        job.ReportLine($"{name}: pulling {reference}");
        var progress = new EngineProgress(job);
        var (repository, tag) = ImageReference.SplitTag(reference);
        await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag ?? "latest" }, await registries.PullAuthAsync(image, cancellationToken), progress, cancellationToken);
        progress.ThrowIfFailed();
        var pulled = await client.Images.InspectImageAsync(reference, cancellationToken);
        if (pulled.ID == old.Image)
        {
            return (old.ID, $"{name}: already runs the newest {reference}.");
        }

        var grace = options.Value.Grace;
        job.ReportLine($"{name}: recreating it on the new image, then watching it for {grace.TotalSeconds:0} s (or its health check's verdict)");
        var replaced = await DockerDash.Containers.ContainerRecreate.ReplaceAsync(client, old.ID, UpdateWatch.Within(grace), cancellationToken);
        var digest = pulled.RepoDigests?.FirstOrDefault(d => RegistryImageName.RepositoryKeyOf(d) == image.RepositoryKey) is { } d ? RegistryImageName.DigestOf(d) : pulled.ID;
        return (replaced.Id, $"{name}: updated to {ContainerUpdateState.Abbreviated(digest)} and running ({replaced.Message}).");
    }
}
