using System.Threading.Channels;
using DockerDash.Streaming;

namespace DockerDash.Tests.Streaming;

public sealed class AvailableBatchesTests
{
    [Fact]
    public async Task Items_that_are_already_there_travel_together_up_to_the_cap()
    {
        var channel = Channel.CreateUnbounded<int>();
        foreach (var i in Enumerable.Range(0, 25))
        {
            channel.Writer.TryWrite(i);
        }

        channel.Writer.Complete();

        var batches = await ToListAsync(channel.Reader.ReadAllAsync().BatchAvailable(10));

        Assert.Equal([10, 10, 5], batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 25), batches.SelectMany(b => b));
    }

    [Fact]
    public async Task Weighed_items_fill_a_batch_up_to_the_cap_and_a_heavy_one_travels_alone()
    {
        var channel = Channel.CreateUnbounded<int>();
        foreach (var weight in new[] { 4, 5, 2, 12, 3 })
        {
            channel.Writer.TryWrite(weight);
        }

        channel.Writer.Complete();

        var batches = await ToListAsync(channel.Reader.ReadAllAsync().BatchAvailable(10, w => w));

        Assert.Equal([[4, 5], [2], [12], [3]], batches.Select(b => b.ToArray()));
    }

    [Fact]
    public async Task A_slow_source_is_passed_on_item_by_item_without_waiting_for_more()
    {
        var channel = Channel.CreateUnbounded<int>();
        await using var batches = channel.Reader.ReadAllAsync().BatchAvailable(100).GetAsyncEnumerator();

        channel.Writer.TryWrite(1);
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([1], batches.Current);

        var next = batches.MoveNextAsync();
        Assert.False(next.IsCompleted);
        channel.Writer.TryWrite(2);
        Assert.True(await next);
        Assert.Equal([2], batches.Current);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_ends_the_source()
    {
        var ended = new TaskCompletionSource();
        var source = Endless(ended);

        await foreach (var batch in source.BatchAvailable(5))
        {
            Assert.NotEmpty(batch);
            break;
        }

        await ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_failing_source_fails_the_batches()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ToListAsync(Failing().BatchAvailable(5)));
        Assert.Equal("engine said no", error.Message);
    }

    private static async IAsyncEnumerable<int> Endless(TaskCompletionSource ended, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (var i = 0; ; i++)
            {
                yield return i;
                await Task.Delay(10, cancellationToken);
            }
        }
        finally
        {
            ended.TrySetResult();
        }
    }

    private static async IAsyncEnumerable<int> Failing()
    {
        yield return 1;
        await Task.Yield();
        throw new InvalidOperationException("engine said no");
    }

    private static async Task<List<IReadOnlyList<T>>> ToListAsync<T>(IAsyncEnumerable<IReadOnlyList<T>> source)
    {
        var list = new List<IReadOnlyList<T>>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
