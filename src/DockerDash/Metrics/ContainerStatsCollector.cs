using System.Collections.Concurrent;
using DockerDash.Containers;
using DockerDash.Stats;
using Microsoft.Extensions.Options;

namespace DockerDash.Metrics;

/// <summary>
/// Keeps the shared stats stream of running containers open for <c>/metrics</c> (at most <see cref="MetricsOptions.Containers"/>,
/// by engine and name), and the newest sample of each. A container that stops, or falls beyond the cap, lets go of its stream.
/// </summary>
public sealed class ContainerStatsCollector(ContainerStore store, StatsFeeds feeds, IOptions<MetricsOptions> options, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<ContainerKey, Watched> _watched = new();

    /// <summary>The newest sample of each container watched, for the gauges.</summary>
    public IEnumerable<(ContainerKey Key, StatsSample Sample)> Latest =>
        _watched.Select(w => (w.Key, w.Value.Latest)).Where(w => w.Latest is not null).Select(w => (w.Key, w.Latest!));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cap = Math.Max(0, options.Value.Containers);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Follow(store.Snapshot().Where(c => c.State == "running").OrderBy(c => c.Engine, StringComparer.Ordinal)
                    .ThenBy(c => c.Name, StringComparer.Ordinal).Take(cap).Select(c => c.Key).ToHashSet());
                await Task.Delay(Look, time, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            Follow([]);
        }
    }

    private void Follow(HashSet<ContainerKey> wanted)
    {
        foreach (var (key, watched) in _watched)
        {
            if (!wanted.Contains(key) && _watched.TryRemove(key, out _))
            {
                watched.Dispose();
            }
        }

        foreach (var key in wanted.Where(k => !_watched.ContainsKey(k)))
        {
            var (feed, viewer) = feeds.Join(key);
            _watched[key] = new Watched(feed, viewer);
        }
    }

    /// <summary>One container's stream, drained into its newest sample.</summary>
    private sealed class Watched : IDisposable
    {
        private readonly ContainerStatsFeed _feed;
        private readonly Streaming.SharedStream<StatsSample>.Viewer _viewer;
        private readonly CancellationTokenSource _stop = new();

        public Watched(ContainerStatsFeed feed, Streaming.SharedStream<StatsSample>.Viewer viewer)
        {
            (_feed, _viewer) = (feed, viewer);
            _ = DrainAsync(_stop.Token);
        }

        public StatsSample? Latest { get; private set; }

        private async Task DrainAsync(CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var sample in _viewer.Queue.ReadAllAsync(null, cancellationToken))
                {
                    Latest = sample;
                }
            }
            catch (OperationCanceledException)
            {
                // Let go of.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _feed.Leave(_viewer);
            _stop.Dispose();
        }
    }
}
