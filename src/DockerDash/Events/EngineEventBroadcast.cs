using System.Runtime.CompilerServices;
using DockerDash.Streaming;

namespace DockerDash.Events;

/// <summary>Fans every engine's events out to in-process subscribers (pages, hub streams), each with its own bounded queue.</summary>
public sealed class EngineEventBroadcast(ILogger<EngineEventBroadcast> logger)
{
    private const int QueueCapacity = 1024;
    private readonly Lock _lock = new();
    private readonly List<(EngineEventFilter Filter, SubscriberQueue<EngineEvent> Queue)> _subscribers = [];

    public int SubscriberCount
    {
        get { lock (_lock) { return _subscribers.Count; } }
    }

    public void Publish(EngineEvent engineEvent)
    {
        lock (_lock)
        {
            foreach (var (filter, queue) in _subscribers)
            {
                if (filter.Matches(engineEvent))
                {
                    queue.Write(engineEvent);
                }
            }
        }
    }

    /// <summary>Events from now on that match <paramref name="filter"/>, until cancelled.</summary>
    public async IAsyncEnumerable<EngineEvent> SubscribeAsync(EngineEventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entry = (filter, new SubscriberQueue<EngineEvent>(QueueCapacity));
        lock (_lock)
        {
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
