using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerDash.Containers;
using DockerDash.Events;

namespace DockerDash.Engines;

/// <summary>
/// Keeps each engine connected: negotiates the API, opens its one <c>/events</c> stream, re-lists
/// its containers after every (re)connect and publishes the difference, then follows events,
/// re-reading each container an event names. When
/// the engine goes away it backs off (capped) and tries again, forever.
/// </summary>
public sealed class EngineWatcher(
    EngineDirectory engines,
    ContainerStore store,
    EngineEventBroadcast broadcast,
    DockerDash.Metrics.AppMetrics metrics,
    TimeProvider time,
    ILogger<EngineWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(30);

    private const int InspectsAtOnce = 8;

    // Actions that do not change what the containers list shows; health checks alone emit three a probe.
    private static readonly string[] ListNeutralActions = ["exec_create", "exec_start", "exec_die", "exec_detach", "attach", "detach", "resize", "top", "export", "commit", "copy", "archive-path", "extract-to-dir"];

    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaximumBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures - 1, 10))));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(engines.Connections.Select(c => Task.Run(() => WatchForeverAsync(c, stoppingToken), CancellationToken.None)));

    private async Task WatchForeverAsync(EngineConnection connection, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                await WatchOnceAsync(connection, onUp: () => failures = 0, cancellationToken);
                reason = "the engine closed its event stream";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                reason = EngineErrors.Describe(e, connection.Endpoint);
            }

            failures++;
            var delay = Backoff(failures);
            connection.Lost(reason, retrying: false);
            logger.LogWarning("Engine {Engine} is down: {Reason}; retrying in {Delay:0.#} s", connection.Name, reason, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            connection.Lost(reason, retrying: true);
            metrics.EngineReconnecting(connection.Name);
        }
    }

    private async Task WatchOnceAsync(EngineConnection connection, Action onUp, CancellationToken cancellationToken)
    {
        var negotiated = await EngineClientFactory.NegotiateAsync(connection.Endpoint, cancellationToken);
        var adopted = false;
        try
        {
            await FollowAsync(connection, negotiated, () =>
            {
                adopted = true;
                onUp();
            }, cancellationToken);
        }
        finally
        {
            if (!adopted)
            {
                negotiated.Dispose();
            }
        }
    }

    /// <summary>Events first, then the list, then the events as they come; <paramref name="onUp"/> once the connection holds the clients.</summary>
    private async Task FollowAsync(EngineConnection connection, NegotiatedEngine negotiated, Action onUp, CancellationToken cancellationToken)
    {
        var client = negotiated.Client;

        // Events first, then the list: nothing that happens in between is missed, and a change seen twice is harmless.
        using var streamCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The Stream overload, not the IProgress one: it returns once the engine has answered, which is
        // what makes "events first, then list" hold, and our reader owns the line parsing.
#pragma warning disable CS0618
        var stream = await client.System.MonitorEventsAsync(new ContainerEventsParameters(), streamCancel.Token);
#pragma warning restore CS0618
        var incoming = EngineEventStream.ReadInBackground(connection.Name, stream, streamCancel.Token);
        try
        {
            var listed = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, cancellationToken);
            store.ReplaceEngine(connection.Name, listed.Select(c => ContainerInfoMapper.FromListResponse(connection.Name, c)).ToList());
            connection.Connected(negotiated);
            onUp();
            logger.LogInformation("Engine {Engine} is up: {Product} {Version}, API {Api}, {Count} containers", connection.Name, negotiated.Product, negotiated.EngineVersion, negotiated.ApiVersion, listed.Count);

            var changed = new HashSet<string>();
            while (await incoming.WaitToReadAsync(cancellationToken))
            {
                while (incoming.TryRead(out var engineEvent))
                {
                    broadcast.Publish(engineEvent);
                    metrics.EventPassedOn(time.GetUtcNow() - engineEvent.Time);
                    if (engineEvent.Type == "container" && engineEvent.Id.Length > 0 && !IsListNeutral(engineEvent.Action))
                    {
                        changed.Add(engineEvent.Id);
                    }
                }

                if (changed.Count > 0)
                {
                    await RefreshAsync(client, connection.Name, changed.ToList(), cancellationToken);
                    changed.Clear();
                }
            }
        }
        finally
        {
            await streamCancel.CancelAsync();
        }
    }

    private static bool IsListNeutral(string action) =>
        Array.Exists(ListNeutralActions, a => action.StartsWith(a, StringComparison.Ordinal));

    /// <summary>Re-reads the containers events named, a few at a time; one that is gone is removed from the store.</summary>
    private async Task RefreshAsync(IDockerClient client, string engine, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new ConcurrentBag<ContainerInfo>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = InspectsAtOnce, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                found.Add(ContainerInfoMapper.FromInspect(engine, await client.Containers.InspectContainerAsync(id, ct)));
            }
            catch (DockerContainerNotFoundException)
            {
                // Removed since the event: not adding it is what removes it.
            }
        });
        store.ReplaceSome(engine, ids, found.ToList());
    }
}
