using System.Runtime.CompilerServices;
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
public sealed class DockerHub(EventService events) : Hub
{
    public const string Path = "/hubs/docker";

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
