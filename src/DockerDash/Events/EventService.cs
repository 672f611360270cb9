using System.Runtime.CompilerServices;
using DockerDash.Engines;
using DockerDash.Operations;
using DockerDash.Callers;

namespace DockerDash.Events;

/// <summary>Live engine events for pages and the hub, limited to the engines the caller may watch.</summary>
public sealed class EventService(OperationGate gate, EngineEventBroadcast broadcast, EngineDirectory engines, CallerContext caller)
{
    /// <param name="recent">Begin with the events the app kept from before (the latest 1,000), then live.</param>
    public async IAsyncEnumerable<EngineEvent> StreamAsync(EngineEventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken, bool recent = false)
    {
        var who = caller.Current;
        if (filter.Engine is { } engine)
        {
            if (engines.Find(engine) is null)
            {
                throw new OperationFailedException($"There is no engine named '{engine}'.", OperationFailure.NotFound);
            }

            gate.Authorize(who, EngineOperations.EventStream, engine);
        }
        else if (!engines.Connections.Any(c => gate.IsAllowed(who, EngineOperations.EventStream, c.Name)))
        {
            gate.Authorize(who, EngineOperations.EventStream, AppOperations.Scope);
        }

        await foreach (var engineEvent in broadcast.SubscribeAsync(filter, cancellationToken, recent))
        {
            if (gate.IsAllowed(who, EngineOperations.EventStream, engineEvent.Engine))
            {
                yield return engineEvent;
            }
        }
    }
}
