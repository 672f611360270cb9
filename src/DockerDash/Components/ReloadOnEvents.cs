using DockerDash.Events;
using DockerDash.Operations;

namespace DockerDash.Components;

/// <summary>
/// Keeps a page's list current from engine events: an event that matters marks it stale, and it is read again at most
/// ten times a second, one read at a time (events during a read cause one more afterwards).
/// </summary>
public sealed class ReloadOnEvents : IAsyncDisposable
{
    private readonly StreamFollower _events;
    private bool _stale;
    private bool _reloading;

    private ReloadOnEvents(EventService events, EngineEventFilter filter, Func<EngineEvent, bool> matters, Func<Func<Task>, Task> invoke, Func<Task> reload, Action<OperationFailedException> failed)
    {
        _events = StreamFollower.Start(ct => events.StreamAsync(filter, ct), e => _stale |= matters(e), invoke, () =>
        {
            if (_stale && !_reloading)
            {
                (_stale, _reloading) = (false, true);
                _ = invoke(async () =>
                {
                    try
                    {
                        await reload();
                    }
                    finally
                    {
                        _reloading = false;
                    }
                });
            }
        }, failed);
    }

    /// <param name="invoke">The component's <c>InvokeAsync</c>; <paramref name="reload"/> runs on its renderer.</param>
    public static ReloadOnEvents Start(EventService events, EngineEventFilter filter, Func<EngineEvent, bool> matters, Func<Func<Task>, Task> invoke, Func<Task> reload, Action<OperationFailedException> failed) =>
        new(events, filter, matters, invoke, reload, failed);

    public ValueTask DisposeAsync() => _events.DisposeAsync();
}
