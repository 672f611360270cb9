using System.Runtime.CompilerServices;
using DockerDash.Streaming;

namespace DockerDash.Alerts;

/// <summary>Firings as they happen, for in-app notifications: each listener with its own bounded queue.</summary>
public sealed class AlertNotifications
{
    private const int QueueCapacity = 100;
    private readonly Lock _lock = new();
    private readonly List<SubscriberQueue<AlertFiring>> _listeners = [];

    public void Publish(AlertFiring firing)
    {
        lock (_lock)
        {
            foreach (var listener in _listeners)
            {
                listener.Write(firing);
            }
        }
    }

    public async IAsyncEnumerable<AlertFiring> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var queue = new SubscriberQueue<AlertFiring>(QueueCapacity);
        lock (_lock)
        {
            _listeners.Add(queue);
        }

        try
        {
            await foreach (var firing in queue.ReadAllAsync(null, cancellationToken))
            {
                yield return firing;
            }
        }
        finally
        {
            lock (_lock)
            {
                _listeners.Remove(queue);
            }
        }
    }
}
