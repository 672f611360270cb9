using System.Collections.Concurrent;
using DockerDash.Components.Pages.Containers;
using DockerDash.Containers;
using DockerDash.Engines;

namespace DockerDash.Components.Overview;

/// <summary>
/// Every container the caller may see and every engine's state, kept current from the store for a
/// status page: updates are applied in batches and <paramref name="changed"/> is asked to render at
/// most ten times a second.
/// </summary>
public sealed class LiveContainers : IDisposable
{
    private readonly ContainerListView _view = new();
    private readonly ConcurrentQueue<ContainerUpdate> _pending = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly EngineDirectory _engines;
    private readonly RenderThrottle _throttle;
    private readonly ContainerSubscription _subscription;

    /// <param name="changed">Runs on the component's dispatcher (pass <c>() => InvokeAsync(...)</c>): apply with <see cref="ApplyPending"/>, then render.</param>
    public LiveContainers(ContainerService containers, EngineDirectory engines, Func<Task> changed)
    {
        _engines = engines;
        _subscription = containers.Subscribe();
        _view.Reset(_subscription.Snapshot);
        _throttle = new RenderThrottle(RenderThrottle.TenPerSecond, changed);
        _engines.StateChanged += OnEngineState;
        _ = FollowAsync(_cancel.Token);
    }

    public IReadOnlyList<ContainerInfo> All => _view.Visible;

    public IReadOnlyList<EngineState> Engines => _engines.States;

    /// <summary>Applies what arrived since the last call; call on the component's dispatcher before rendering.</summary>
    public void ApplyPending()
    {
        while (_pending.TryDequeue(out var update))
        {
            _view.Apply(update);
        }
    }

    /// <summary>Asks for a render from elsewhere (stats, events), under the same ten-a-second limit.</summary>
    public void RequestRender() => _throttle.Request();

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var update in _subscription.ReadUpdatesAsync(cancellationToken))
            {
                _pending.Enqueue(update);
                _throttle.Request();
            }
        }
        catch (OperationCanceledException)
        {
            // The page is closing.
        }
    }

    private void OnEngineState(EngineState _) => _throttle.Request();

    public void Dispose()
    {
        _engines.StateChanged -= OnEngineState;
        _cancel.Cancel();
        _cancel.Dispose();
        _throttle.Dispose();
        _subscription.Dispose();
    }
}
