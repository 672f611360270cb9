using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace DockerDash.Streaming;

/// <summary>
/// One subscriber's bounded queue. The writer never waits: when the reader falls behind, the oldest
/// items are dropped and counted, so one slow subscriber never stalls the others or the upstream.
/// </summary>
public sealed class SubscriberQueue<T>
{
    private readonly Channel<T> _channel;
    private long _dropped;

    public SubscriberQueue(int capacity)
    {
        _channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref _dropped));
    }

    public void Write(T item) => _channel.Writer.TryWrite(item);

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Items in order; <paramref name="skipped"/> is called with the count whenever items were dropped before the next one.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync(Action<long>? skipped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var item))
            {
                var dropped = Interlocked.Exchange(ref _dropped, 0);
                if (dropped > 0)
                {
                    skipped?.Invoke(dropped);
                }

                yield return item;
            }
        }
    }
}
