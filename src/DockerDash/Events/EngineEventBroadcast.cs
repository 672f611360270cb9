using System.Runtime.CompilerServices;
using DockerDash.Streaming;

namespace DockerDash.Events;

/// <summary>
/// Fans every engine's events out to in-process subscribers (pages, hub streams), each with its own bounded
/// queue, and keeps the latest <see cref="EventHistory.DefaultCapacity"/> so that a page opening now can show what just happened.
/// </summary>
public sealed class EngineEventBroadcast(ILogger<EngineEventBroadcast> logger)
{
    private const int QueueCapacity = EventHistory.DefaultCapacity + 24;
    private readonly Lock _lock = new();
    private readonly EventHistory _recent = new();
    private readonly List<(EngineEventFilter Filter, SubscriberQueue<EngineEvent> Queue)> _subscribers = [];

    public int SubscriberCount
    {
        get { lock (_lock) { return _subscribers.Count; } }
    }

    public void Publish(EngineEvent engineEvent)
    {
        lock (_lock)
        {
            _recent.Add(engineEvent);
            foreach (var (filter, queue) in _subscribers)
            {
                if (filter.Matches(engineEvent))
                {
                    queue.Write(engineEvent);
                }
            }
        }
    }

    /// <summary>
    /// Events from now on that match <paramref name="filter"/>, until cancelled; with <paramref name="recent"/>, the
    /// kept ones first (oldest first), with neither a gap nor a repeat between them and the live ones.
    /// </summary>
    public async IAsyncEnumerable<EngineEvent> SubscribeAsync(EngineEventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken, bool recent = false)
    {
        var entry = (filter, new SubscriberQueue<EngineEvent>(QueueCapacity));
        lock (_lock)
        {
            if (recent)
            {
                foreach (var kept in _recent.NewestFirst().Where(filter.Matches).Reverse())
                {
                    entry.Item2.Write(kept);
                }
            }

            _subscribers.Add(entry);
        }

        try
        {
            await foreach (var item in entry.Item2.ReadAllAsync(n => logger.LogWarning("An event subscriber fell behind; {Count} events skipped", n), cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(entry);
            }
        }
    }
}
