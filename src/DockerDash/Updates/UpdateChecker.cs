using DockerDash.Replicas;
using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerDash.Callers;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Images;
using DockerDash.Operations;
using Microsoft.Extensions.Options;
using static DockerDash.Operations.EngineOperations;

namespace DockerDash.Updates;

/// <summary>What a check found, and the engines it could not ask (with why).</summary>
public sealed record UpdateCheckResult(IReadOnlyList<ContainerUpdateState> States, IReadOnlyList<string> Unreachable);

/// <summary>
/// Compares every container's image with what its tag names in its registry now. Per engine it lists the containers and
/// the images (one call each, whatever their number) and takes each image's repository digests, the digests it was pulled
/// or pushed with; per distinct tag reference it asks the registry once (<see cref="RegistryLookup"/>), however many
/// containers and engines run it. The last state of every container is kept here (in memory: a restart checks again; every
/// replica keeps what any replica found) for
/// the pages, the hub and the alerts; all reads go through the gate as <c>update.check</c>.
/// </summary>
public sealed class UpdateChecker
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<ContainerKey, ContainerUpdateState> _states = new();
    private readonly OperationGate gate;
    private readonly EngineDirectory engines;
    private readonly ContainerStore store;
    private readonly RegistryLookup registries;
    private readonly TimeProvider time;
    private readonly IOptions<UpdateOptions> options;
    private readonly ReplicaSignals _signals;

    public UpdateChecker(OperationGate gate, EngineDirectory engines, ContainerStore store, RegistryLookup registries, ReplicaSignals signals, TimeProvider time, IOptions<UpdateOptions> options)
    {
        this.gate = gate;
        this.engines = engines;
        this.store = store;
        this.registries = registries;
        this.time = time;
        this.options = options;
        _signals = signals;
        signals.Received += FromElsewhere;
    }

    /// <summary>What one check found on one engine, as replicas tell each other.</summary>
    private sealed record Checked(string Engine, UpdateScope Scope, IReadOnlyList<ContainerUpdateState> States);

    /// <summary>DockerDash's own scheduled checks (and those after a push or a copy) run as this caller.</summary>
    public static Caller Scheduler { get; } = Caller.Internal("dockerdash:updates", "DockerDash (update check)", Security.DashboardClaims.AllScopes, Security.DashboardRole.Viewer);

    /// <summary>Raised after every check that changed what is known.</summary>
    public event Action? Changed;

    /// <summary>Raised for each container found to have an update it did not have before (or a newer one than before).</summary>
    public event Action<ContainerUpdateState>? UpdateFound;

    public ContainerUpdateState? For(ContainerKey key) => _states.GetValueOrDefault(key);

    /// <summary>The states of the containers that still exist, on the engines <paramref name="engineVisible"/> lets through.</summary>
    public IReadOnlyList<ContainerUpdateState> States(Func<string, bool> engineVisible) =>
        _states.Values.Where(s => engineVisible(s.Engine) && store.Find(new ContainerKey(s.Engine, s.Id)) is not null)
            .OrderBy(s => s.Engine, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();

    /// <summary>The states <paramref name="caller"/> may read.</summary>
    public IReadOnlyList<ContainerUpdateState> StatesFor(Caller caller) => States(engine => gate.IsAllowed(caller, UpdateCheck, engine));

    public void Forget(ContainerKey key)
    {
        if (_states.TryRemove(key, out _))
        {
            Changed?.Invoke();
        }
    }

    /// <summary>
    /// Checks what <paramref name="scope"/> names, as <paramref name="caller"/>: one engine (refused if the caller may not check
    /// it), or every engine the caller may check (an unreachable one is named, and does not spoil the others).
    /// </summary>
    public async Task<UpdateCheckResult> CheckAsync(Caller caller, UpdateScope scope, CancellationToken cancellationToken = default)
    {
        var names = scope.Engine is null
            ? engines.Connections.Select(c => c.Name).Where(n => gate.IsAllowed(caller, UpdateCheck, n)).ToList()
            : [scope.Engine];
        var lookups = new ConcurrentDictionary<string, Lazy<Task<RemoteDigest>>>(StringComparer.Ordinal);
        using var parallel = new SemaphoreSlim(Math.Max(1, options.Value.Parallel));
        var found = new List<ContainerUpdateState>();
        var unreachable = new List<string>();
        foreach (var engine in names)
        {
            try
            {
                var listed = await gate.RunAsync(caller, UpdateCheck, engine, scope.Describe, (client, ct) => ListAsync(client, scope, ct), cancellationToken);
                var states = await Task.WhenAll(listed.Select(c => StateAsync(engine, c, name => lookups.GetOrAdd(name.ToString(),
                    _ => new Lazy<Task<RemoteDigest>>(() => LookupAsync(name, parallel, cancellationToken))).Value)));
                Keep(engine, scope, states);
                if (_signals.Shared)
                {
                    _signals.Send(new ReplicaSignal(SignalKind.UpdatesChecked, System.Text.Json.JsonSerializer.Serialize(new Checked(engine, scope, states), Json)));
                }
                found.AddRange(states);
            }
            catch (OperationFailedException e) when (scope.Engine is null && e is not OperationDeniedException)
            {
                unreachable.Add($"{engine}: {e.Message}");
            }
        }

        Changed?.Invoke();
        return new UpdateCheckResult(found, unreachable);
    }

    /// <summary>Checks, as DockerDash, the containers on every engine that run <paramref name="reference"/> (a tag DockerDash just pushed or copied).</summary>
    public Task<UpdateCheckResult> RecheckAsync(string reference, CancellationToken cancellationToken = default) =>
        RegistryImageName.Parse(reference) is { } name
            ? CheckAsync(Scheduler, new UpdateScope(Reference: name.ToString()), cancellationToken)
            : Task.FromResult(new UpdateCheckResult([], []));

    private async Task<RemoteDigest> LookupAsync(RegistryImageName name, SemaphoreSlim parallel, CancellationToken cancellationToken)
    {
        await parallel.WaitAsync(cancellationToken);
        try
        {
            return await registries.DigestAsync(name, cancellationToken);
        }
        finally
        {
            parallel.Release();
        }
    }

    /// <summary>A container as a check needs it: the reference it was created with and the repository digests of the image it runs.</summary>
    private sealed record Listed(string Id, string Name, string? Project, string Reference, IReadOnlyList<string> RepoDigests);

    private static async Task<IReadOnlyList<Listed>> ListAsync(IDockerClient client, UpdateScope scope, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>();
        if (scope.Container is { } container)
        {
            filters["id"] = new Dictionary<string, bool> { [(await client.Containers.InspectContainerAsync(container, cancellationToken)).ID] = true };
        }

        if (scope.Project is { } project)
        {
            filters["label"] = new Dictionary<string, bool> { [$"{ContainerInfo.ComposeProjectLabel}={project}"] = true };
        }

        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, cancellationToken);
        var images = (await client.Images.ListImagesAsync(new ImagesListParameters { All = false }, cancellationToken))
            .ToDictionary(i => i.ID, i => (IReadOnlyList<string>)(i.RepoDigests ?? []), StringComparer.Ordinal);
        var listed = new List<Listed>();
        foreach (var c in containers.Where(c => c.Labels?.ContainsKey(Volumes.VolumeService.HelperLabel) != true))
        {
            // Once its tag names another image, the list shows the image id: the reference it was created with is in its configuration.
            var reference = c.Image.StartsWith("sha256:", StringComparison.Ordinal) || c.Image == c.ImageID
                ? (await client.Containers.InspectContainerAsync(c.ID, cancellationToken)).Config?.Image ?? c.Image
                : c.Image;
            if (scope.Reference is { } wanted && RegistryImageName.Parse(reference)?.ToString() != wanted)
            {
                continue;
            }

            listed.Add(new Listed(c.ID, (c.Names?.FirstOrDefault() ?? c.ID).TrimStart('/'), (c.Labels is { } labels && labels.TryGetValue(ContainerInfo.ComposeProjectLabel, out var projectName) ? projectName : null), reference,
                images.GetValueOrDefault(c.ImageID) ?? []));
        }

        return listed;
    }

    private async Task<ContainerUpdateState> StateAsync(string engine, Listed c, Func<RegistryImageName, Task<RemoteDigest>> lookup)
    {
        var now = time.GetUtcNow();
        ContainerUpdateState Make(UpdateStatus status, string? current = null, string? newDigest = null, DateTimeOffset? seen = null, string? reason = null) =>
            new(engine, c.Id, c.Name, c.Project, c.Reference, status, current, newDigest, seen, reason, now);

        if (c.Reference.Contains('@', StringComparison.Ordinal))
        {
            return Make(UpdateStatus.PinnedByDigest, current: RegistryImageName.DigestOf(c.Reference));
        }

        if (RegistryImageName.Parse(c.Reference) is not { } name || c.Reference.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return Make(UpdateStatus.LocalOnly, reason: "created from an image id, not a tag: nothing to compare");
        }

        var current = c.RepoDigests.Where(d => RegistryImageName.RepositoryKeyOf(d) == name.RepositoryKey).Select(RegistryImageName.DigestOf).ToList();
        if (current.Count == 0)
        {
            return Make(UpdateStatus.LocalOnly, reason: $"its image was built, loaded or tagged here: {name.Registry} never served it");
        }

        var remote = await lookup(name);
        if (remote.Problem is { } problem)
        {
            return Make(UpdateStatus.Unreachable, current: current[0], reason: problem);
        }

        if (current.Contains(remote.Digest!, StringComparer.Ordinal))
        {
            return Make(UpdateStatus.UpToDate, current: remote.Digest);
        }

        var previous = _states.GetValueOrDefault(new ContainerKey(engine, c.Id));
        var seen = previous is { Status: UpdateStatus.Available } && previous.NewDigest == remote.Digest ? previous.SeenAt : now;
        return Make(UpdateStatus.Available, current[0], remote.Digest, seen);
    }

    /// <summary>
    /// Another replica's check: kept here too, so that every replica's pages show it; an update found there is found
    /// here as well (the lease holder alerts on it, once: a digest already known is not found again).
    /// </summary>
    private void FromElsewhere(ReplicaSignal signal)
    {
        if (signal is { Kind: SignalKind.UpdatesChecked, Remote: true }
            && System.Text.Json.JsonSerializer.Deserialize<Checked>(signal.Subject, Json) is { } check)
        {
            Keep(check.Engine, check.Scope, check.States);
            Changed?.Invoke();
        }
    }

    private void Keep(string engine, UpdateScope scope, IReadOnlyList<ContainerUpdateState> states)
    {
        if (scope is { Project: null, Container: null, Reference: null })
        {
            var listed = states.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _states.Keys.Where(k => k.Engine == engine && !listed.Contains(k.Id)).ToList())
            {
                _states.TryRemove(gone, out _);
            }
        }

        foreach (var state in states)
        {
            var previous = _states.GetValueOrDefault(new ContainerKey(engine, state.Id));
            _states[new ContainerKey(engine, state.Id)] = state;
            if (state.IsAvailable && previous?.NewDigest != state.NewDigest)
            {
                UpdateFound?.Invoke(state);
            }
        }
    }
}
