using System.Collections.Concurrent;
using DockerDash.Containers;
using DockerDash.Metrics;
using Microsoft.Extensions.Options;

namespace DockerDash.Stats;

/// <summary>Something that needs the newest stats sample of every running container (history, resource alert rules).</summary>
public interface IStatsDemand
{
    bool WantsStats { get; }
}

/// <summary>
/// Keeps the shared stats stream of running containers open (at most <see cref="MetricsOptions.Containers"/>, by engine and
/// name), and the newest sample of each, while anything needs them: a <see cref="IStatsDemand"/> that wants them, or
/// <c>/metrics</c> being scraped (the first scrape opens them, and <see cref="Idle"/> without one closes them again).
/// A container that stops, or falls beyond the cap, lets go of its stream.
/// </summary>
public sealed class ContainerStatsCollector(ContainerStore store, StatsFeeds feeds, IEnumerable<IStatsDemand> demands, IOptions<MetricsOptions> options, TimeProvider time)
    : BackgroundService
{
    /// <summary>How long the streams stay open after the last scrape.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan Look = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<ContainerKey, Watched> _watched = new();
    private TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastScrapeTicks;

    /// <summary>The newest sample of each container watched, with its name and project, for history and the resource rules.</summary>
    public IReadOnlyList<History.ResourceReading> Readings(TimeSpan newerThan)
    {
        // By when it arrived, not by the engine's clock (a remote engine's may be off).
        var since = time.GetUtcNow() - newerThan;
        return [.. from w in _watched
                   let sample = w.Value.Latest
                   where sample is not null && w.Value.ReceivedAt >= since
                   let container = store.Find(w.Key)
                   where container is not null
                   select new History.ResourceReading(w.Key, container.Name, container.ComposeProject, sample)];
    }

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

    private bool Wanted => Scraping || demands.Any(d => d.WantsStats);

    /// <summary>Something began to want the streams (a resource rule was made): look now rather than within five seconds.</summary>
    public void Wake() => _woken.TrySetResult();

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
                Follow(!Wanted ? [] : store.Snapshot().Where(c => c.State == "running").OrderBy(c => c.Engine, StringComparer.Ordinal)
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
            _watched[key] = new Watched(feed, viewer, time);
        }
    }

    /// <summary>One container's stream, drained into its newest sample.</summary>
    private sealed class Watched : IDisposable
    {
        private readonly ContainerStatsFeed _feed;
        private readonly Streaming.SharedStream<StatsSample>.Viewer _viewer;
        private readonly TimeProvider _time;
        private readonly CancellationTokenSource _stop = new();

        public Watched(ContainerStatsFeed feed, Streaming.SharedStream<StatsSample>.Viewer viewer, TimeProvider time)
        {
            (_feed, _viewer, _time) = (feed, viewer, time);
            _ = DrainAsync(_stop.Token);
        }

        public StatsSample? Latest { get; private set; }

        /// <summary>When <see cref="Latest"/> arrived, by this app's clock.</summary>
        public DateTimeOffset ReceivedAt { get; private set; }

        private async Task DrainAsync(CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var sample in _viewer.Queue.ReadAllAsync(null, cancellationToken))
                {
                    (Latest, ReceivedAt) = (sample, _time.GetUtcNow());
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
