using DockerDash.Operations;
using DockerDash.Streaming;

namespace DockerDash.Components;

/// <summary>
/// A component following an async stream, written once: the stream is opened at once (so its subscription
/// exists when <see cref="Start"/> returns), then read off the renderer (never behind rendering), what arrived
/// is applied in batches on the component's renderer, the component renders at most
/// ten times a second, a refusal is shown through <c>failed</c>, and disposing cancels the stream and waits
/// for the reader to end.
/// </summary>
/// <example>
/// <code>
/// _events = StreamFollower.Start(ct => Events.StreamAsync(filter, ct), e => _history.Add(e), InvokeAsync, StateHasChanged, e => _error = e.Message);
/// public ValueTask DisposeAsync() => _events.DisposeAsync();
/// </code>
/// </example>
public sealed class StreamFollower : IAsyncDisposable
{
    /// <summary>The most items applied in one go on the renderer.</summary>
    public const int MaxBatch = 1_000;

    private readonly CancellationTokenSource _stop = new();
    private readonly RenderThrottle _render;
    private Task _reading = Task.CompletedTask;

    private StreamFollower(Func<Func<Task>, Task> invoke, Action render, TimeProvider? time)
    {
        _render = new RenderThrottle(RenderThrottle.TenPerSecond, () => invoke(() =>
        {
            render();
            return Task.CompletedTask;
        }), time);
    }

    /// <param name="open">Opens the stream; its token ends with the follower.</param>
    /// <param name="apply">Applies one item to the component's state; runs on the renderer.</param>
    /// <param name="invoke">The component's <c>InvokeAsync</c>.</param>
    /// <param name="render">The component's <c>StateHasChanged</c>.</param>
    /// <param name="failed">Shows a refusal (runs on the renderer, which then renders); without it the stream just ends.</param>
    public static StreamFollower Start<T>(
        Func<CancellationToken, IAsyncEnumerable<T>> open,
        Action<T> apply,
        Func<Func<Task>, Task> invoke,
        Action render,
        Action<OperationFailedException>? failed = null,
        TimeProvider? time = null)
    {
        var follower = new StreamFollower(invoke, render, time);
        follower._reading = follower.ReadAsync(open, apply, invoke, render, failed);
        return follower;
    }

    private async Task ReadAsync<T>(Func<CancellationToken, IAsyncEnumerable<T>> open, Action<T> apply, Func<Func<Task>, Task> invoke, Action render, Action<OperationFailedException>? failed)
    {
        var token = _stop.Token;
        try
        {
            // Runs synchronously up to the stream's first wait (its subscription); from there on, off the renderer.
            await foreach (var batch in open(token).BatchAvailable(MaxBatch, token).ConfigureAwait(false))
            {
                await invoke(() =>
                {
                    foreach (var item in batch)
                    {
                        apply(item);
                    }

                    return Task.CompletedTask;
                }).ConfigureAwait(false);
                _render.Request();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The component is going away.
        }
        catch (OperationFailedException e) when (failed is not null && !token.IsCancellationRequested)
        {
            await InvokeQuietlyAsync(invoke, () =>
            {
                failed(e);
                render();
            }).ConfigureAwait(false);
        }
        catch (OperationFailedException)
        {
            // Nothing to show it on: the stream just ends.
        }
        catch (ObjectDisposedException) when (token.IsCancellationRequested)
        {
            // The renderer went away first.
        }
    }

    private static async Task InvokeQuietlyAsync(Func<Func<Task>, Task> invoke, Action action)
    {
        try
        {
            await invoke(() =>
            {
                action();
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The circuit closed meanwhile.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
            // Ended by the cancel above.
        }

        _render.Dispose();
        _stop.Dispose();
    }
}
