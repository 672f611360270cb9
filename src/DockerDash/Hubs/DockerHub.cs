using System.Runtime.CompilerServices;
using DockerDash.Containers;
using DockerDash.Containers.Create;
using DockerDash.Events;
using DockerDash.Images;
using DockerDash.Logs;
using DockerDash.Stats;
using DockerDash.Streaming;
using DockerDash.Operations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using DockerDash.Callers;

namespace DockerDash.Hubs;

/// <summary>
/// <c>/hubs/docker</c>: the live streams for clients outside Blazor (wall displays, scripts, other
/// tools). Same services, so the same gate, as the pages.
/// </summary>
[Authorize]
public sealed class DockerHub(EventService events, ContainerService containers, LogService logs, StatsService stats, ImageService images, Files.ContainerFiles files, Registries.RegistryService registries, Terminals.TerminalService terminals, Projects.ProjectService projects, ContainerRecreate recreate, Volumes.VolumeService volumes, Networks.NetworkService networks, Engines.Info.EngineService engineInfo, Updates.ContainerUpdater updates, History.HistoryService history, HubStreamLimits limits) : Hub
{
    private const int MaxLogBatch = 1_000;

    public const string Path = "/hubs/docker";

    /// <summary>Every container the caller may see, across engines.</summary>
    public Task<IReadOnlyList<HubContainer>> ListContainers() =>
        Call(() =>
        {
            using var subscription = containers.Subscribe();
            return Task.FromResult<IReadOnlyList<HubContainer>>(subscription.Snapshot.Select(HubContainer.From).ToList());
        });

    /// <summary>A container's details; unmasked for a caller with <c>container.secrets</c>, which the audit records.</summary>
    public Task<ContainerDetails> InspectContainer(ContainerRef container) => Call(async () =>
    {
        var details = await containers.InspectAsync(container.Key);
        if (!details.SecretsHidden)
        {
            containers.RecordSecretsShown(container.Key);
        }

        return details;
    });

    /// <summary>The engine's inspect document as it sent it (what <c>docker inspect</c> prints); masked unless the caller may see secrets, which the audit records.</summary>
    public Task<string> InspectContainerDocument(ContainerRef container) => Call(async () =>
    {
        var document = await containers.InspectDocumentAsync(container.Key, revealSecrets: true);
        if (containers.CanSeeSecrets(container.Key.Engine))
        {
            containers.RecordSecretsShown(container.Key);
        }

        return document;
    });

    public Task<ContainerProcesses> TopContainer(ContainerRef container) => Call(() => containers.TopAsync(container.Key));

    /// <summary>The engine's tagged images, <c>repository:tag</c>.</summary>
    public Task<IReadOnlyList<string>> ListImages(string engine) => Call(() => containers.ListImageTagsAsync(engine));

    public Task StartContainer(ContainerRef container) => Call(() => containers.StartAsync(container.Key));

    public Task StopContainer(ContainerRef container, uint? timeoutSeconds = null) => Call(() => containers.StopAsync(container.Key, timeoutSeconds));

    public Task RestartContainer(ContainerRef container) => Call(() => containers.RestartAsync(container.Key));

    public Task KillContainer(ContainerRef container, string signal = "SIGKILL") => Call(() => containers.KillAsync(container.Key, signal));

    public Task PauseContainer(ContainerRef container) => Call(() => containers.PauseAsync(container.Key));

    public Task UnpauseContainer(ContainerRef container) => Call(() => containers.UnpauseAsync(container.Key));

    public Task RenameContainer(ContainerRef container, string newName) => Call(() => containers.RenameAsync(container.Key, newName));

    public Task RemoveContainer(ContainerRef container, bool force = false, bool removeVolumes = false) => Call(() => containers.RemoveAsync(container.Key, force, removeVolumes));

    /// <summary>
    /// Replaces a container with a new one of the same name and configuration (networks, volumes, labels, restart policy),
    /// pulling its image first when <paramref name="pull"/>; a failure leaves the old one as it was.
    /// Returns <c>{ id, message }</c>: the new id and what changed.
    /// </summary>
    public Task<RecreateResult> RecreateContainer(ContainerRef container, bool pull = false) => Call(() => recreate.RecreateAsync(container.Key, pull));

    /// <summary>
    /// Compares containers' images with what their tags name in their registries now (one request per distinct tag):
    /// everything you may check, or <c>{ engine }</c>, <c>{ engine, project }</c>, <c>{ engine, container }</c>. <c>update.check</c>, Viewer.
    /// </summary>
    public Task<HubUpdateCheck> CheckUpdates(HubUpdateScope? scope = null) =>
        Call(async () =>
        {
            var result = await updates.CheckAsync(new Updates.UpdateScope(scope?.Engine, scope?.Project, scope?.Container));
            return new HubUpdateCheck([.. result.States.Select(HubUpdate.From)], result.Unreachable);
        });

    /// <summary>What the last checks (scheduled, on demand, or after a push or copy through DockerDash) found for the containers you may see.</summary>
    public IReadOnlyList<HubUpdate> ListUpdates() => Call(() => updates.List().Select(HubUpdate.From).ToList());

    /// <summary>
    /// Updates one container (<c>{ engine, id }</c>): pulls its tag, and if that names a newer image recreates it with the same
    /// configuration and watches it; a new container that exits or turns unhealthy is rolled back (the call then fails, saying so).
    /// Returns the outcome once done. <c>container.update</c>, Operator.
    /// </summary>
    public Task<string> UpdateContainer(ContainerRef container) => OutcomeAsync(Call(() => updates.UpdateContainer(container.Key)));

    /// <summary>Updates every container of a compose project, in dependency order, one at a time; stops at the first that fails. <c>project.update</c>, Operator.</summary>
    public Task<string> UpdateProject(string engine, string project) => OutcomeAsync(Call(() => updates.UpdateProject(engine, project)));

    /// <summary>An engine's volumes: name, driver, mount point, size (when the engine computed it), labels, and the containers using each.</summary>
    public Task<IReadOnlyList<Volumes.VolumeInfo>> ListVolumes(string engine) => Call(async () => (await volumes.ListAsync(engine)).Volumes);

    public Task<Volumes.VolumeInfo> CreateVolume(string engine, HubVolumeRequest request) =>
        Call(() => volumes.CreateAsync(engine, request.Name ?? "", request.Driver, request.DriverOpts, request.Labels));

    /// <summary>Removes a volume; one in use is refused in the engine's words.</summary>
    public Task RemoveVolume(string engine, string name, bool force = false) => Call(() => volumes.RemoveAsync(engine, name, force));

    /// <summary>What an engine says about itself (version, API, OS, kernel, CPUs, memory, drivers, root dir, security options, counts), with the seed's security notes checked against it.</summary>
    public Task<HubEngineInfo> EngineInfo(string engine) => Call(async () =>
    {
        var facts = await engineInfo.FactsAsync(engine);
        return new HubEngineInfo(facts, Engines.Info.SecurityNotes.Check(facts, engineInfo.TransportOf(engine) ?? Engines.EngineTransport.Tcp));
    });

    /// <summary>An engine's disk usage per kind (images, containers, volumes, build cache): count, size, and what a prune would give back.</summary>
    /// <summary>A container's CPU, memory and network over a window (<c>1h</c>, <c>6h</c>, <c>24h</c>, <c>7d</c>), at most 240 points.</summary>
    public Task<IReadOnlyList<History.ResourcePoint>> ContainerHistory(ContainerRef container, string window = "1h") =>
        Call(() => history.ContainerAsync(container.Key, History.HistoryWindows.Parse(window), Context.ConnectionAborted));

    /// <summary>An engine's CPU, memory and network (the sums over its running containers) over a window.</summary>
    public Task<IReadOnlyList<History.ResourcePoint>> EngineHistory(string engine, string window = "1h") =>
        Call(() => history.EngineAsync(engine, History.HistoryWindows.Parse(window), Context.ConnectionAborted));

    /// <summary>The containers of the engines the caller may read, by their average CPU over a window (with memory's average and peak).</summary>
    public Task<IReadOnlyList<History.ResourceRank>> RankContainers(string window = "1h") =>
        Call(() => history.RankAsync(History.HistoryWindows.Parse(window), Context.ConnectionAborted));

    public Task<Engines.Info.DiskUsage> DiskUsage(string engine) => Call(() => engineInfo.DiskUsageAsync(engine));

    /// <summary>
    /// Prunes <c>kinds</c> (<c>containers</c>: stopped ones, <c>images</c>: dangling ones, <c>volumes</c>, <c>networks</c>, <c>buildCache</c>: what nothing
    /// uses). With <c>dryRun</c> (the default) nothing is removed and <c>removed</c> lists what would go; otherwise exactly that is removed.
    /// Answers <c>{ removed: [names], refused: [sentences], spaceReclaimed, dryRun }</c>.
    /// </summary>
    public Task<HubPruneResult> Prune(string engine, HubPruneRequest request) => Call(async () =>
    {
        var plan = await engineInfo.PrunePlanAsync(engine, request.Kinds ?? Engines.Info.EngineService.PruneKinds);
        if (request.DryRun)
        {
            return new HubPruneResult([.. plan.Select(i => $"{i.Kind}: {i.Name}")], [], plan.Sum(i => i.Size), DryRun: true);
        }

        var outcome = await engineInfo.PruneAsync(engine, plan);
        return new HubPruneResult(outcome.Removed, outcome.Refused, outcome.Space, DryRun: false);
    });

    /// <summary>A helper container (never started, read-only at <c>/volume</c>) for reading a volume's files with <see cref="ListContainerFiles"/> and the file endpoints; remove it with <see cref="RemoveVolumeHelper"/>.</summary>
    public Task<string> BrowseVolume(string engine, string volume, string image) => Call(() => volumes.CreateHelperAsync(engine, volume, image));

    public Task RemoveVolumeHelper(string engine, string helper) => Call(() => volumes.RemoveHelperAsync(engine, helper));

    /// <summary>An engine's networks: driver, scope, subnets and gateways, internal, labels, and the containers on each with their addresses and aliases.</summary>
    public Task<IReadOnlyList<Networks.NetworkInfo>> ListNetworks(string engine) => Call(async () => (await networks.ListAsync(engine)).Networks);

    /// <summary>Creates a network; returns its id.</summary>
    public Task<string> CreateNetwork(string engine, HubNetworkRequest request) =>
        Call(() => networks.CreateAsync(engine, request.Name, request.Driver, request.Internal, request.Subnet, request.Gateway, request.Labels));

    public Task RemoveNetwork(string engine, string id) => Call(() => networks.RemoveAsync(engine, id));

    public Task ConnectNetwork(string engine, string network, string container, string[]? aliases = null) => Call(() => networks.ConnectAsync(engine, network, container, aliases));

    public Task DisconnectNetwork(string engine, string network, string container, bool force = false) => Call(() => networks.DisconnectAsync(engine, network, container, force));

    /// <summary>Creates (and starts) a container; returns its id.</summary>
    public Task<string> CreateContainer(HubCreateRequest request) =>
        Call(async () => (await containers.CreateAsync(request.Engine, () => ContainerCreatePlan.From(request.ToForm()))).Id);

    /// <summary>Engine events from now on, filtered by engine, type, action and container (id prefix or name).</summary>
    public async IAsyncEnumerable<HubEvent> StreamEvents(EventQuery? query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = (query ?? new EventQuery()).ToFilter();
        var stream = Guard(() => events.StreamAsync(filter, cancellationToken));
        await foreach (var e in stream.WithCancellation(cancellationToken))
        {
            yield return new HubEvent(e.Engine, e.Type, e.Action, e.Id, e.Name, e.TimeNano);
        }
    }

    /// <summary>
    /// A container's log: the history asked for (<c>tail</c>, default 1,000, or <c>since</c>), then live
    /// lines. Pass the <c>position</c> of the last line received as <c>after</c> to resume with no gap
    /// and no duplicate. A client that falls behind gets <c>{ skipped: N }</c> instead of stalling others.
    /// Each line is a <see cref="HubLogEntry"/> on the wire; a live one is encoded once for every client that
    /// follows the container unfiltered (<see cref="HubLogLine"/>).
    /// </summary>
    public async IAsyncEnumerable<HubLogLine> StreamLogs(LogStreamQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var logQuery = Call(query.ToLogQuery);
        var chunks = Guard(() => logs.StreamChunksAsync(new ContainerKey(query.Engine, query.Container), logQuery, cancellationToken));
        await foreach (var piece in LogPieces(chunks, cancellationToken))
        {
            foreach (var line in piece.Lines)
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// The same stream as <see cref="StreamLogs"/>, with the entries that are ready sent together as one
    /// array (up to 1,000): for clients that follow chatty containers, one message per batch instead of per line.
    /// A live batch is encoded once for every client that follows the container unfiltered (<see cref="HubLogBatch"/>).
    /// </summary>
    public async IAsyncEnumerable<HubLogBatch> StreamLogBatches(LogStreamQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var logQuery = Call(query.ToLogQuery);
        var chunks = Guard(() => logs.StreamChunksAsync(new ContainerKey(query.Engine, query.Container), logQuery, cancellationToken));
        await foreach (var pieces in LogPieces(chunks, cancellationToken).BatchAvailable(MaxLogBatch, p => p.Count, cancellationToken))
        {
            yield return new HubLogBatch(pieces);
        }
    }

    private static async IAsyncEnumerable<HubLogPiece> LogPieces(IAsyncEnumerable<LogChunk> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            foreach (var piece in HubLogPiece.Of(chunk, MaxLogBatch))
            {
                yield return piece;
            }
        }
    }

    /// <summary>
    /// A running container's stats about once a second: <c>{ time, cpuPercent, memoryBytes, memoryLimitBytes,
    /// netRxBytesPerSec, netTxBytesPerSec, blockReadBytesPerSec, blockWriteBytesPerSec, pids }</c>.
    /// </summary>
    public IAsyncEnumerable<StatsSample> StreamStats(ContainerRef query, CancellationToken cancellationToken) =>
        Guard(() => stats.StreamAsync(new ContainerKey(query.Engine, query.Container ?? query.Id), cancellationToken));

    /// <summary>An engine's local images with their tags, size, creation time and how many containers use each.</summary>
    public Task<IReadOnlyList<ImageInfo>> ListEngineImages(string engine) => Call(() => images.ListAsync(engine));

    public Task<ImageDetails> InspectImage(string engine, string image) => Call(() => images.InspectAsync(engine, image));

    public Task<IReadOnlyList<ImageLayer>> ImageHistory(string engine, string image) => Call(() => images.HistoryAsync(engine, image));

    public Task<IReadOnlyList<ImageSearchHit>> SearchImages(string engine, string term) => Call(() => images.SearchAsync(engine, term));

    public Task TagImage(string engine, string image, string reference) => Call(async () =>
    {
        await images.TagAsync(engine, image, reference);
        return true;
    });

    public Task RemoveImage(string engine, string image, bool force = false, bool keepParents = false) => Call(async () =>
    {
        await images.RemoveAsync(engine, image, force, keepParents);
        return true;
    });

    public Task<PruneResult> PruneImages(string engine) => Call(() => images.PruneDanglingAsync(engine));

    /// <summary>Pulls an image (it also shows in the app's jobs panel) and returns once it is there: the outcome in a sentence.</summary>
    public Task<string> PullImage(string engine, string reference, string? username = null, string? password = null) =>
        OutcomeAsync(Call(() => images.StartPull(engine, reference, Credentials(username, password))));

    /// <summary>Pushes a local image to its registry (also shown in the jobs panel); returns once done.</summary>
    public Task<string> PushImage(string engine, string reference, string? username = null, string? password = null) =>
        OutcomeAsync(Call(() => images.StartPush(engine, reference, Credentials(username, password))));

    /// <summary>Builds from a Dockerfile (the context is the Dockerfile alone; upload a context tar to <c>POST /images/{engine}/build</c>); returns once built.</summary>
    public Task<string> BuildImage(string engine, string dockerfile, string[]? tags = null, Dictionary<string, string>? buildArgs = null, string? target = null, bool noCache = false) =>
        OutcomeAsync(Call(() => images.StartBuild(engine, dockerfile, new BuildRequest(tags ?? [], buildArgs ?? [], target, noCache))));

    /// <summary>The entries of a directory in a container (running or stopped); upload and download go through <c>/containers/{engine}/{id}/files</c>.</summary>
    public Task<Files.DirectoryListing> ListContainerFiles(string engine, string container, string path) => Call(() => files.ListAsync(engine, container, path));

    /// <summary>Asks an engine to log in to a registry DockerDash knows, with its saved credentials: the engine's answer.</summary>
    public Task<string> CheckRegistryLogin(string engine, int registry) => Call(() => registries.CheckEngineLoginAsync(registry, engine));

    private static RegistryCredentials? Credentials(string? username, string? password) =>
        username is null ? null : new RegistryCredentials(username, password ?? "");

    /// <summary>Waits for a background operation: its outcome sentence, or a <see cref="HubException"/> saying why it did not succeed.</summary>
    private static async Task<string> OutcomeAsync(Jobs.Job operation)
    {
        await operation.Completion;
        return operation.State == Jobs.JobState.Succeeded ? operation.Outcome! : throw new HubException(operation.Outcome);
    }

    /// <summary>Makes an image of a container (<c>changes</c>: Dockerfile-style lines); returns the image id.</summary>
    public Task<string> CommitContainer(string engine, string container, string reference, string? message = null, string? author = null, string? changes = null) =>
        Call(() => images.CommitAsync(engine, container, reference, message, author, changes));

    /// <summary>
    /// A console: runs a command in a running container (default: the first of <c>/bin/bash</c>, <c>/bin/sh</c> it has) with
    /// <paramref name="input"/> as its keystrokes, and streams its output; the last item says how it ended
    /// (<c>[process exited with code 0]</c>). Resize with <see cref="ResizeExec"/> by the <c>session</c> name you give.
    /// Ending the call (or the connection) ends the process. <c>container.exec</c>, Admin by default; recorded and audited.
    /// </summary>
    public IAsyncEnumerable<string> Exec(Terminals.TerminalRequest request, IAsyncEnumerable<string> input, CancellationToken cancellationToken) =>
        Guard(() => ConsoleAsync(request with { Mode = Terminals.TerminalMode.Exec }, input, cancellationToken));

    /// <summary>A console on the container's main process (<c>docker attach</c>): its output, and its stdin when the container keeps it open. <c>container.attach</c>.</summary>
    public IAsyncEnumerable<string> Attach(Terminals.TerminalRequest request, IAsyncEnumerable<string> input, CancellationToken cancellationToken) =>
        Guard(() => ConsoleAsync(request with { Mode = Terminals.TerminalMode.Attach }, input, cancellationToken));

    /// <summary>Resizes one of your open consoles (TTY only), by the <c>session</c> name given when it was opened.</summary>
    public Task ResizeExec(string session, int cols, int rows) => Call(() => terminals.ResizeAsync(session, cols, rows));

    private async IAsyncEnumerable<string> ConsoleAsync(Terminals.TerminalRequest request, IAsyncEnumerable<string> input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var session = await terminals.OpenAsync(request, cancellationToken);
        _ = ForwardAsync(input, session, cancellationToken);
        await foreach (var output in session.ReadAsync(cancellationToken))
        {
            yield return output;
        }
    }

    /// <summary>The client's keystrokes into the session; the end of the client's stream is the end of the process's input.</summary>
    private static async Task ForwardAsync(IAsyncEnumerable<string> input, Terminals.TerminalSession session, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var keys in input.WithCancellation(cancellationToken))
            {
                session.Send(keys);
            }

            session.EndInput();
        }
        catch (Exception e) when (e is OperationCanceledException or HubException or InvalidOperationException)
        {
            // The call ended (or the client's stream failed): the session ends with it.
        }
    }

    /// <summary>The compose projects of the containers you may see, per engine: <c>{ engine, name, workingDir, configFiles, running, total, services: [{ name, dependsOn, containers: [{ id, name, state, health }] }] }</c>.</summary>
    public Task<IReadOnlyList<HubProject>> ListProjects() =>
        Call(() => Task.FromResult<IReadOnlyList<HubProject>>(projects.List().Select(HubProject.From).ToList()));

    /// <summary>
    /// A whole-project action (<c>start</c>, <c>stop</c>, <c>restart</c>, <c>pause</c>, <c>unpause</c>, <c>pull</c>, <c>recreate</c>,
    /// <c>down</c>) in dependency order, shown in the jobs panel meanwhile; returns once done, with the outcome in a sentence.
    /// <c>down</c> removes the project's containers, and its networks and named volumes when <paramref name="removeNetworksAndVolumes"/>.
    /// </summary>
    public Task<string> ProjectAction(string engine, string project, string action, bool removeNetworksAndVolumes = false) =>
        OutcomeAsync(Call(() => Enum.TryParse<Projects.ProjectAction>(action, ignoreCase: true, out var chosen) && !int.TryParse(action, out _)
            ? projects.Start(engine, project, chosen, removeNetworksAndVolumes)
            : throw new OperationFailedException($"'{action}' is not a project action: start, stop, restart, pause, unpause, pull, recreate or down.", OperationFailure.Invalid)));

    /// <summary>What a <c>down</c> would remove: <c>{ containers: [...], networks: [names], volumes: [names] }</c>.</summary>
    public Task<HubDownPlan> ProjectResources(string engine, string project) =>
        Call(async () => HubDownPlan.From(await projects.DownPlanAsync(engine, project)));

    /// <summary>Runs a call; a refusal becomes a <see cref="HubException"/>, whose message (and only that) reaches the client.</summary>
    private static T Call<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is OperationFailedException or FormatException)
        {
            throw new HubException(e.Message);
        }
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (OperationFailedException e)
        {
            throw new HubException(e.Message);
        }
    }

    private static async Task Call(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (OperationFailedException e)
        {
            throw new HubException(e.Message);
        }
    }

    /// <summary>
    /// Holds one of the caller's stream places (<see cref="HubStreamLimits"/>) while the stream is open, and turns a
    /// refusal into a <see cref="HubException"/>, whose message (and only that) reaches the client.
    /// </summary>
    private IAsyncEnumerable<T> Guard<T>(Func<IAsyncEnumerable<T>> open) =>
        GuardAsync(() => limits.Open(Context.ConnectionId, new Caller(Context.User ?? Caller.Anonymous.User, null).Key), open);

    private static async IAsyncEnumerable<T> GuardAsync<T>(Func<IDisposable> lease, Func<IAsyncEnumerable<T>> open, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var place = Call(lease);
        await using var enumerator = open().GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (OperationFailedException e)
            {
                throw new HubException(e.Message);
            }

            if (!more)
            {
                yield break;
            }

            yield return enumerator.Current;
        }
    }
}
