using System.Collections.Concurrent;
using DockerDash.Containers;
using DockerDash.Stats;
using Microsoft.Extensions.Options;

namespace DockerDash.Metrics;

/// <summary>
/// Keeps the shared stats stream of running containers open for <c>/metrics</c> (at most <see cref="MetricsOptions.Containers"/>,
/// by engine and name), and the newest sample of each, while something scrapes: the first scrape opens them, and
/// <see cref="Idle"/> without one closes them all again. A container that stops, or falls beyond the cap, lets go of its stream.
/// </summary>
public sealed class ContainerStatsCollector(ContainerStore store, StatsFeeds feeds, IOptions<MetricsOptions> options, TimeProvider time) : BackgroundService
{
    /// <summary>How long the streams stay open after the last scrape.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan Look = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<ContainerKey, Watched> _watched = new();
    private TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastScrapeTicks;

    /// <summary>A scrape came: keep (or start) watching.</summary>
    public void Scraped()
    {
        var first = Interlocked.Exchange(ref _lastScrapeTicks, time.GetUtcNow().UtcTicks) == 0 || _watched.IsEmpty;
        if (first)
        {
            _woken.TrySetResult();
        }
    }

    private bool Scraping => time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastScrapeTicks) < Idle.Ticks;

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
                Follow(!Scraping ? [] : store.Snapshot().Where(c => c.State == "running").OrderBy(c => c.Engine, StringComparer.Ordinal)
                    .ThenBy(c => c.Name, StringComparer.Ordinal).Take(cap).Select(c => c.Key).ToHashSet());
                var woken = _woken.Task;
                await Task.WhenAny(woken, Task.Delay(Look, time, stoppingToken));
                if (woken.IsCompleted)
                {
                    _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
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
