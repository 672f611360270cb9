using DockerDash.Callers;
using DockerDash.Containers;
using DockerDash.Operations;

namespace DockerDash.Stats;

/// <summary>An engine's load as its containers use it: CPU in cores and memory, summed over the running containers measured.</summary>
public sealed record EngineUsage(double CpuCores, long MemoryBytes, int Measured, int Running);

/// <summary>Pages that show engines' load (the wall) keep the shared stats collector sampling while any of them is open.</summary>
public sealed class UsageDemand : IStatsDemand
{
    private int _open;

    public bool WantsStats => Volatile.Read(ref _open) > 0;

    /// <summary>Counts one page in until the returned handle is disposed.</summary>
    public IDisposable Open()
    {
        Interlocked.Increment(ref _open);
        return new Handle(this);
    }

    private sealed class Handle(UsageDemand demand) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Interlocked.Decrement(ref demand._open);
            }
        }
    }
}

/// <summary>
/// Each engine's load for pages, from the newest samples of the shared stats collector (<see cref="ContainerStatsCollector"/>,
/// up to <c>DockerDash:Metrics:Containers</c> running containers): one set of stats streams however many walls are open,
/// instead of a set per wall. Through the gate: a caller sees the load of the engines whose container stats they may read.
/// </summary>
public sealed class EngineUsageService(OperationGate gate, ContainerStatsCollector collector, UsageDemand demand, CallerContext caller)
{
    /// <summary>Keeps the samples coming (the collector starts at once if nothing else wanted them) until the handle is disposed.</summary>
    public IDisposable Follow()
    {
        var handle = demand.Open();
        collector.Wake();
        return handle;
    }

    /// <summary>The engine's load, or nothing when the caller may not read its containers' stats.</summary>
    public EngineUsage? UsageOf(string engine, IReadOnlyList<ContainerInfo> containers)
    {
        if (!gate.IsAllowed(caller.Current, EngineOperations.ContainerStats, engine))
        {
            return null;
        }

        double cpu = 0;
        long memory = 0;
        var measured = 0;
        foreach (var (key, sample) in collector.Latest)
        {
            if (key.Engine == engine)
            {
                cpu += sample.CpuPercent / 100;
                memory += sample.MemoryBytes;
                measured++;
            }
        }

        return new EngineUsage(cpu, memory, measured, containers.Count(c => c.Engine == engine && c.State == "running"));
    }
}
