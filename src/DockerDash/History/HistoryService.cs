using DockerDash.Callers;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Operations;

namespace DockerDash.History;

/// <summary>Resource history for pages, through the gate (<c>history.read</c> on the engine): charts and the ranking.</summary>
public sealed class HistoryService(OperationGate gate, HistoryStore store, TileHistory tiles, EngineDirectory engines, CallerContext caller, TimeProvider time)
{
    /// <summary>Points a chart draws: at most this many, however long the window.</summary>
    public const int ChartPoints = 240;

    public Task<IReadOnlyList<ResourcePoint>> ContainerAsync(ContainerKey key, HistoryWindow window, CancellationToken cancellationToken, int maxPoints = ChartPoints)
    {
        gate.Authorize(caller.Current, EngineOperations.HistoryRead, key.Engine, key.Id);
        return store.PointsAsync(key.Engine, key.Id, window, time.GetUtcNow(), maxPoints, cancellationToken);
    }

    /// <summary>The engine as a whole: the sums over its running containers.</summary>
    public Task<IReadOnlyList<ResourcePoint>> EngineAsync(string engine, HistoryWindow window, CancellationToken cancellationToken)
    {
        gate.Authorize(caller.Current, EngineOperations.HistoryRead, engine);
        return store.PointsAsync(engine, "", window, time.GetUtcNow(), ChartPoints, cancellationToken);
    }

    /// <summary>An engine's (or one of its compose projects') CPU over the last hour, a point a minute, for the wall's tiles.</summary>
    public Task<IReadOnlyList<double>> TileCpuAsync(string engine, string? project, CancellationToken cancellationToken)
    {
        gate.Authorize(caller.Current, EngineOperations.HistoryRead, engine, project);
        return tiles.CpuLastHourAsync(engine, project, cancellationToken);
    }

    /// <summary>The containers of every engine the caller may read, by their averages over the window.</summary>
    public Task<IReadOnlyList<ResourceRank>> RankAsync(HistoryWindow window, CancellationToken cancellationToken)
    {
        var visible = engines.Connections.Select(c => c.Name).Where(e => gate.IsAllowed(caller.Current, EngineOperations.HistoryRead, e)).ToList();
        return store.RankAsync(visible, window, time.GetUtcNow(), cancellationToken);
    }
}
