using System.Runtime.CompilerServices;

namespace DockerDash.Streaming;

/// <summary>
/// Groups a stream's items into batches of what is already available: the first item of a batch is
/// awaited, then every item the source can hand over without waiting joins it (up to a cap). A slow
/// source gives batches of one with no added delay; a fast one gives full batches, so a consumer pays
/// per batch (one message, one render) instead of per item.
/// </summary>
public static class AvailableBatches
{
    public static IAsyncEnumerable<IReadOnlyList<T>> BatchAvailable<T>(this IAsyncEnumerable<T> source, int maxBatch, CancellationToken cancellationToken = default) =>
        source.BatchAvailable(maxBatch, static _ => 1, cancellationToken);

    /// <param name="weigh">What an item counts for against <paramref name="maxBatch"/> (a piece of several lines: how many).
    /// An item heavier than the cap is a batch of its own.</param>
    public static async IAsyncEnumerable<IReadOnlyList<T>> BatchAvailable<T>(
        this IAsyncEnumerable<T> source, int maxBatch, Func<T, int> weigh, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var items = source.GetAsyncEnumerator(stop.Token);

        // As a Task, a step can be looked at (done yet?) before it is awaited; a step that is already done is a cached task.
        var pending = items.MoveNextAsync().AsTask();
        try
        {
            while (await pending)
            {
                var batch = new List<T> { items.Current };
                var weight = weigh(items.Current);
                pending = items.MoveNextAsync().AsTask();
                while (pending.IsCompletedSuccessfully && pending.Result && weight + weigh(items.Current) <= maxBatch)
                {
                    batch.Add(items.Current);
                    weight += weigh(items.Current);
                    pending = items.MoveNextAsync().AsTask();
                }

                yield return batch;
            }
        }
        finally
        {
            // A consumer that stops early leaves a step in flight: end it before disposing the source.
            await stop.CancelAsync();
            await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await items.DisposeAsync();
        }
    }
}
