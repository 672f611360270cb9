using System.Runtime.CompilerServices;
using DockerDash.Containers;
using DockerDash.Operations;
using DockerDash.Callers;

namespace DockerDash.Stats;

/// <summary>Live stats of a container for pages and the hub, through the gate (<c>container.stats</c>), from its shared feed.</summary>
public sealed class StatsService(OperationGate gate, StatsFeeds feeds, CallerContext caller)
{
    public async IAsyncEnumerable<StatsSample> StreamAsync(ContainerKey key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Asking the engine first gives a clear error for an unknown container, and proves the caller may read it.
        var running = await gate.RunAsync(caller.Current, EngineOperations.ContainerStats, key.Engine, key.Id, async (client, ct) =>
            (await client.Containers.InspectContainerAsync(key.Id, ct)).State?.Running ?? false, cancellationToken);
        if (!running)
        {
            throw new OperationFailedException($"Container {key.Id[..Math.Min(12, key.Id.Length)]} is not running: it has no stats.", OperationFailure.Refused);
        }

        var (feed, viewer) = feeds.Join(key);
        try
        {
            await foreach (var sample in viewer.Queue.ReadAllAsync(null, cancellationToken))
            {
                yield return sample;
            }
        }
        finally
        {
            feed.Leave(viewer);
        }
    }
}
