namespace DockerDash.Components;

/// <summary>
/// Runs a callback at most once per interval however often it is requested: one call stays queued,
/// the rest are dropped. Components use it to render at most ~10 times a second under a flood of updates.
/// </summary>
public sealed class RenderThrottle(TimeSpan interval, Func<Task> callback, TimeProvider? time = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CancellationTokenSource _disposed = new();
    private int _queued;
    private long _lastRun;

    public static TimeSpan TenPerSecond { get; } = TimeSpan.FromMilliseconds(100);

    public void Request()
    {
        if (Interlocked.Exchange(ref _queued, 1) == 1)
        {
            return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            var wait = interval - _time.GetElapsedTime(Interlocked.Read(ref _lastRun));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, _disposed.Token);
            }

            Interlocked.Exchange(ref _queued, 0);
            Interlocked.Exchange(ref _lastRun, _time.GetTimestamp());
            await callback();
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting: the component is gone.
        }
        catch (ObjectDisposedException)
        {
            // The renderer went away between the request and the render.
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
