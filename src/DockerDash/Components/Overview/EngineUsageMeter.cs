using DockerDash.Components.Stats;
using DockerDash.Containers;
using DockerDash.Stats;

namespace DockerDash.Components.Overview;

/// <summary>An engine's load as its containers use it: CPU in cores and memory, summed over the running containers measured.</summary>
public sealed record EngineUsage(double CpuCores, long MemoryBytes, int Measured, int Running);

/// <summary>Watches the running containers' stats (up to <see cref="PerEngineLimit"/> per engine) and sums them per engine.</summary>
public sealed class EngineUsageMeter(StatsService stats, Action changed) : IDisposable
{
    /// <summary>Each measured container is a stats stream: beyond this, an engine's figures cover the first ones.</summary>
    public const int PerEngineLimit = 50;

    private readonly LiveStats _stats = new(stats, changed);

    /// <summary>Call after the container list changed.</summary>
    public void Track(IReadOnlyList<ContainerInfo> containers) =>
        _stats.Watch(containers.Where(c => c.State == "running").GroupBy(c => c.Engine).SelectMany(g => g.Take(PerEngineLimit)).Select(c => c.Key).ToHashSet());

    public EngineUsage UsageOf(string engine, IReadOnlyList<ContainerInfo> containers)
    {
        var samples = _stats.Latest.Where(s => s.Key.Engine == engine).Select(s => s.Value).ToList();
        return new EngineUsage(samples.Sum(s => s.CpuPercent) / 100, samples.Sum(s => s.MemoryBytes), samples.Count, containers.Count(c => c.Engine == engine && c.State == "running"));
    }

    public void Dispose() => _stats.Dispose();
}
