using DockerDash.Containers;

namespace DockerDash.Testing;

/// <summary>Waits on the app's container store through a subscription, the way a page sees it: no polling.</summary>
public static class StoreWaiter
{
    public static async Task<ContainerInfo> WaitForAsync(this ContainerStore store, Func<ContainerInfo, bool> condition, TimeSpan timeout, string what)
    {
        using var subscription = store.Subscribe(_ => true);
        using var cancel = new CancellationTokenSource(timeout);
        if (store.Snapshot().FirstOrDefault(condition) is { } already)
        {
            return already;
        }

        try
        {
            await foreach (var _ in subscription.ReadUpdatesAsync(cancel.Token))
            {
                if (store.Snapshot().FirstOrDefault(condition) is { } found)
                {
                    return found;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Timed out: fall through to the failure below.
        }

        throw new TimeoutException($"The store did not show {what} within {timeout.TotalSeconds:0.#} s.");
    }

    public static async Task WaitUntilGoneAsync(this ContainerStore store, string engine, string id, TimeSpan timeout)
    {
        using var subscription = store.Subscribe(_ => true);
        using var cancel = new CancellationTokenSource(timeout);
        var key = new ContainerKey(engine, id);
        try
        {
            if (store.Find(key) is null)
            {
                return;
            }

            await foreach (var _ in subscription.ReadUpdatesAsync(cancel.Token))
            {
                if (store.Find(key) is null)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Timed out: fall through to the failure below.
        }

        throw new TimeoutException($"The store still shows container {id[..12]} after {timeout.TotalSeconds:0.#} s.");
    }
}
