using System.Runtime.CompilerServices;
using DockerDash.Containers;
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
public sealed class DockerHub(EventService events, ContainerService containers, LogService logs, StatsService stats, ImageService images, Files.ContainerFiles files, Registries.RegistryService registries, HubStreamLimits limits) : Hub
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

    public Task<ContainerDetails> InspectContainer(ContainerRef container) => Call(() => containers.InspectAsync(container.Key));

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

    /// <summary>Creates (and starts) a container; returns its id.</summary>
    public Task<string> CreateContainer(HubCreateRequest request) =>
        Call(async () => (await containers.CreateAsync(request.Engine, request.ToParameters(), request.Start)).Id);

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
    /// </summary>
    public async IAsyncEnumerable<HubLogEntry> StreamLogs(LogStreamQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var logQuery = Call(query.ToLogQuery);
        var stream = Guard(() => logs.StreamAsync(new ContainerKey(query.Engine, query.Container), logQuery, cancellationToken));
        await foreach (var entry in stream.WithCancellation(cancellationToken))
        {
            yield return HubLogEntry.From(entry);
        }
    }

    /// <summary>
    /// The same stream as <see cref="StreamLogs"/>, with the entries that are ready sent together as one
    /// array (up to 1,000): for clients that follow chatty containers, one message per batch instead of per line.
    /// </summary>
    public IAsyncEnumerable<IReadOnlyList<HubLogEntry>> StreamLogBatches(LogStreamQuery query, CancellationToken cancellationToken) =>
        StreamLogs(query, cancellationToken).BatchAvailable(MaxLogBatch, cancellationToken);

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

/// <summary>The query object of <c>StreamEvents</c>; every field optional.</summary>
public sealed record EventQuery(string? Engine = null, string? Type = null, string? Action = null, string? Container = null)
{
    public EngineEventFilter ToFilter() => new(Blank(Engine), Blank(Type), Blank(Action), Blank(Container));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>One event as the hub sends it: <c>{ engine, type, action, id, name?, timeNano }</c>.</summary>
public sealed record HubEvent(string Engine, string Type, string Action, string Id, string? Name, long TimeNano);

/// <summary>Names one container: <c>{ engine, id }</c> (id or name).</summary>
public sealed record ContainerRef(string Engine, string Id = "", string? Container = null)
{
    public ContainerKey Key => new(Engine, Container ?? Id);
}

/// <summary>One container as the hub lists it.</summary>
public sealed record HubContainer(string Engine, string Id, string Name, string Image, string State, string? Health, int? ExitCode, IReadOnlyDictionary<string, string> Labels)
{
    public static HubContainer From(ContainerInfo c) => new(c.Engine, c.Id, c.Name, c.Image, c.State, c.Health, c.ExitCode, c.Labels);
}

/// <summary>A container to create through the hub: the common fields of <c>POST /containers/create</c>.</summary>
public sealed record HubCreateRequest(
    string Engine,
    string Image,
    string? Name = null,
    IReadOnlyList<string>? Cmd = null,
    IReadOnlyList<string>? Env = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? NetworkMode = null,
    bool Privileged = false,
    IReadOnlyList<string>? CapAdd = null,
    bool Start = true)
{
    public Docker.DotNet.Models.CreateContainerParameters ToParameters() => new()
    {
        Image = Image,
        Name = Name,
        Cmd = Cmd?.ToList()!,
        Env = Env?.ToList()!,
        Labels = Labels?.ToDictionary(l => l.Key, l => l.Value)!,
        HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = NetworkMode ?? "", Privileged = Privileged, CapAdd = CapAdd?.ToList()! },
    };
}

/// <summary>The query object of <c>StreamLogs</c>: <c>{ engine, container, tail?, since?, timestamps?, after? }</c>, plus an optional server-side <c>filter</c>.</summary>
public sealed record LogStreamQuery(string Engine, string Container, int? Tail = null, string? Since = null, bool? Timestamps = null, string? After = null, string? Until = null, string? Filter = null, bool Regex = false)
{
    public LogQuery ToLogQuery() => new(
        Tail ?? LogQuery.DefaultTail,
        ParseTime(Since, nameof(Since)),
        ParseTime(Until, nameof(Until)),
        LogPosition.Parse(After),
        Filter,
        Regex);

    /// <summary>RFC 3339, or Unix seconds with an optional fraction (the engine's own form).</summary>
    public static long? ParseTime(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (LogTimestamp.Parse(text) is { } rfc)
        {
            return rfc;
        }

        if (decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return (long)(seconds * 1_000_000_000m);
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var any))
        {
            return (any - DateTimeOffset.UnixEpoch).Ticks * 100;
        }

        throw new FormatException($"'{text}' is not a time for {field.ToLowerInvariant()} (use RFC 3339, like 2026-11-27T14:00:00Z, or Unix seconds).");
    }
}

/// <summary>One log entry as the hub sends it: <c>{ stream, time, text, position }</c> or <c>{ skipped }</c>.</summary>
public sealed record HubLogEntry(
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Stream,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Time,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Text,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Position,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? Skipped)
{
    public static HubLogEntry From(LogEntry entry) => entry.Line is { } line
        ? new(line.SourceName, line.TimeText, line.Text, line.PositionText, null)
        : new(null, null, null, null, entry.Skipped);
}
