using System.Runtime.CompilerServices;
using DockerDash.Containers;
using DockerDash.Events;
using DockerDash.Operations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace DockerDash.Hubs;

/// <summary>
/// <c>/hubs/docker</c>: the live streams for clients outside Blazor (wall displays, scripts, other
/// tools). Same services, so the same gate, as the pages.
/// </summary>
[Authorize]
public sealed class DockerHub(EventService events, ContainerService containers) : Hub
{
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

    /// <summary>Runs a call; a refusal becomes a <see cref="HubException"/>, whose message (and only that) reaches the client.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (EngineOperationException e)
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
        catch (EngineOperationException e)
        {
            throw new HubException(e.Message);
        }
    }

    /// <summary>Turns a refusal into a <see cref="HubException"/>, whose message (and only that) reaches the client.</summary>
    private static IAsyncEnumerable<T> Guard<T>(Func<IAsyncEnumerable<T>> open) => GuardAsync(open());

    private static async IAsyncEnumerable<T> GuardAsync<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var enumerator = source.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (EngineOperationException e)
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
public sealed record ContainerRef(string Engine, string Id)
{
    public ContainerKey Key => new(Engine, Id);
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
