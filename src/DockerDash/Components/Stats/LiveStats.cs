using System.Collections.Concurrent;
using DockerDash.Containers;
using DockerDash.Operations;
using DockerDash.Stats;

namespace DockerDash.Components.Stats;

/// <summary>
/// The latest stats sample of each container a view watches, from the shared stats streams: one reader
/// per watched container, started and stopped as the watched set changes, all stopped on dispose.
/// A container that stops (or may not be read) simply has no sample.
/// </summary>
public sealed class LiveStats(StatsService stats, Action changed) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Dictionary<ContainerKey, CancellationTokenSource> _readers = [];
    private readonly ConcurrentDictionary<ContainerKey, StatsSample> _latest = new();

    public IEnumerable<KeyValuePair<ContainerKey, StatsSample>> Latest => _latest;

    public bool TryGet(ContainerKey key, out StatsSample sample) => _latest.TryGetValue(key, out sample!);

    /// <summary>Watches exactly <paramref name="wanted"/>: new ones get a reader, the others lose theirs and their sample.</summary>
    public void Watch(IReadOnlySet<ContainerKey> wanted)
    {
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
        catch (Exception e) when (e is OperationCanceledException or OperationFailedException)
        {
            // No longer watched, stopped meanwhile, or not for this caller: no figures from it.
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
