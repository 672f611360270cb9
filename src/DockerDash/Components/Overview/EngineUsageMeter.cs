using System.Collections.Concurrent;
using DockerDash.Containers;
using DockerDash.Operations;
using DockerDash.Stats;

namespace DockerDash.Components.Overview;

/// <summary>An engine's load as its containers use it: CPU in cores and memory, summed over the running containers measured.</summary>
public sealed record EngineUsage(double CpuCores, long MemoryBytes, int Measured, int Running);

/// <summary>
/// Reads the shared stats streams of the running containers (up to <see cref="PerEngineLimit"/> per
/// engine) and sums them per engine; streams stop when their container stops or the page closes.
/// </summary>
public sealed class EngineUsageMeter(StatsService stats, Action changed) : IDisposable
{
    /// <summary>Each measured container is a stats stream: beyond this, an engine's figures cover the first ones.</summary>
    public const int PerEngineLimit = 50;

    private readonly CancellationTokenSource _cancel = new();
    private readonly Dictionary<ContainerKey, CancellationTokenSource> _readers = [];
    private readonly ConcurrentDictionary<ContainerKey, StatsSample> _latest = new();

    /// <summary>Keeps one reader per running container (up to the limit per engine); call after the container list changed.</summary>
    public void Track(IReadOnlyList<ContainerInfo> containers)
    {
        var wanted = containers.Where(c => c.State == "running").GroupBy(c => c.Engine)
            .SelectMany(g => g.Take(PerEngineLimit)).Select(c => c.Key).ToHashSet();
        foreach (var key in _readers.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            _readers[key].Cancel();
            _readers[key].Dispose();
            _readers.Remove(key);
            _latest.TryRemove(key, out _);
        }

        foreach (var key in wanted.Where(k => !_readers.ContainsKey(k)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
            _readers[key] = stop;
            _ = ReadAsync(key, stop.Token);
        }
    }

    public EngineUsage UsageOf(string engine, IReadOnlyList<ContainerInfo> containers)
    {
        var samples = _latest.Where(s => s.Key.Engine == engine).Select(s => s.Value).ToList();
        return new EngineUsage(samples.Sum(s => s.CpuPercent) / 100, samples.Sum(s => s.MemoryBytes), samples.Count, containers.Count(c => c.Engine == engine && c.State == "running"));
    }

    private async Task ReadAsync(ContainerKey key, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var sample in stats.StreamAsync(key, cancellationToken))
            {
                _latest[key] = sample;
                changed();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or EngineOperationException)
        {
            // The container stopped, the caller may not read its stats, or the page closed: no figures from it.
        }
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
        foreach (var reader in _readers.Values)
        {
            reader.Dispose();
        }
    }
}
