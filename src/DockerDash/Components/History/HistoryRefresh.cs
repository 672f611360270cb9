namespace DockerDash.Components.History;

/// <summary>Calls back once per sample period until disposed: for parts of pages that redraw history as it is recorded.</summary>
public sealed class HistoryRefresh : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;

    private HistoryRefresh(TimeSpan period, TimeProvider time, Func<Task> refresh)
    {
        _timer = new PeriodicTimer(period, time);
        _ = RunAsync(refresh);
    }

    /// <summary><paramref name="refresh"/> runs on the component's dispatcher (pass it through <c>InvokeAsync</c>).</summary>
    public static HistoryRefresh Start(TimeSpan period, TimeProvider time, Func<Task> refresh) => new(period, time, refresh);

    private async Task RunAsync(Func<Task> refresh)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(_stop.Token))
            {
                await refresh();
            }
        }
        catch (OperationCanceledException)
        {
            // The page is gone.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _timer.Dispose();
        _stop.Dispose();
    }
}
