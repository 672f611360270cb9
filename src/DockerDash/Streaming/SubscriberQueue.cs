using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace DockerDash.Streaming;

/// <summary>
/// One subscriber's bounded queue. The writer never waits: when the reader falls behind, the oldest
/// items are dropped and counted, so one slow subscriber never stalls the others or the upstream.
/// An item can weigh more than one (a batch of log lines weighs its line count): the capacity and
/// the dropped count are in that unit, so batching items changes neither the bound nor the report.
/// </summary>
public sealed class SubscriberQueue<T>
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>();
    private readonly int _capacity;
    private readonly Func<T, int> _weigh;
    private long _queued;
    private long _dropped;

    public SubscriberQueue(int capacity, Func<T, int>? weigh = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _weigh = weigh ?? (static _ => 1);
    }

    public void Write(T item)
    {
        var weight = _weigh(item);
        while (Interlocked.Read(ref _queued) + weight > _capacity && _channel.Reader.TryRead(out var oldest))
        {
            var dropped = _weigh(oldest);
            Interlocked.Add(ref _queued, -dropped);
            Interlocked.Add(ref _dropped, dropped);
        }

        if (_channel.Writer.TryWrite(item))
        {
            Interlocked.Add(ref _queued, weight);
        }
    }

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Items in order; <paramref name="skipped"/> is called with the count whenever items were dropped before the next one.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync(Action<long>? skipped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var item))
            {
                Interlocked.Add(ref _queued, -_weigh(item));
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
