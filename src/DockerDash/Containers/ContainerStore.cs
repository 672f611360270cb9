using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace DockerDash.Containers;

/// <summary>
/// Every engine's containers, kept current by the engine watchers. Subscribers get a snapshot and
/// then change batches through their own bounded queue; one that falls behind is reset with a fresh
/// snapshot instead of slowing the others.
/// </summary>
public sealed class ContainerStore(int subscriberQueueCapacity = 256)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ContainerKey, ContainerInfo> _containers = [];
    private readonly List<Subscriber> _subscribers = [];

    public int SubscriberCount
    {
        get { lock (_lock) { return _subscribers.Count; } }
    }

    public IReadOnlyList<ContainerInfo> Snapshot(Func<string, bool>? engineVisible = null)
    {
        lock (_lock)
        {
            return SnapshotLocked(engineVisible ?? (_ => true));
        }
    }

    public ContainerInfo? Find(ContainerKey key)
    {
        lock (_lock)
        {
            return _containers.GetValueOrDefault(key);
        }
    }

    /// <summary>Replaces all of one engine's containers with a fresh list, publishing only the difference.</summary>
    public void ReplaceEngine(string engine, IReadOnlyCollection<ContainerInfo> listed)
    {
        lock (_lock)
        {
            var listedKeys = listed.Select(c => c.Key).ToHashSet();
            var gone = _containers.Keys.Where(k => k.Engine == engine && !listedKeys.Contains(k)).ToList();
            ApplyLocked(engine, listed, gone);
        }
    }

    /// <summary>Applies a re-list of some containers: those asked for but not listed are gone.</summary>
    public void ReplaceSome(string engine, IReadOnlyCollection<string> askedIds, IReadOnlyCollection<ContainerInfo> listed)
    {
        lock (_lock)
        {
            var listedIds = listed.Select(c => c.Id).ToHashSet();
            var gone = askedIds.Where(id => !listedIds.Contains(id)).Select(id => new ContainerKey(engine, id))
                .Where(_containers.ContainsKey).ToList();
            ApplyLocked(engine, listed, gone);
        }
    }

    /// <param name="engineVisible">Whether the subscriber may see an engine's containers; asked for every change.</param>
    /// <param name="project">How the subscriber sees a row (e.g. with secrets masked); the identity when null.</param>
    public ContainerSubscription Subscribe(Func<string, bool> engineVisible, Func<ContainerInfo, ContainerInfo>? project = null)
    {
        var subscriber = new Subscriber(engineVisible, project ?? (row => row), subscriberQueueCapacity);
        lock (_lock)
        {
            _subscribers.Add(subscriber);
            return new ContainerSubscription(this, subscriber, SnapshotLocked(subscriber));
        }
    }

    private void ApplyLocked(string engine, IReadOnlyCollection<ContainerInfo> upserts, IReadOnlyCollection<ContainerKey> removals)
    {
        var changes = new List<ContainerChange>();
        foreach (var container in upserts)
        {
            if (!_containers.TryGetValue(container.Key, out var known) || !known.Equals(container))
            {
                _containers[container.Key] = container;
                changes.Add(ContainerChange.Upsert(container));
            }
        }

        foreach (var key in removals)
        {
            if (_containers.Remove(key))
            {
                changes.Add(ContainerChange.Remove(key));
            }
        }

        if (changes.Count == 0)
        {
            return;
        }

        var update = new ContainerUpdate(changes);
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.EngineVisible(engine) && !subscriber.Queue.Writer.TryWrite(subscriber.Project(update)))
            {
                subscriber.FellBehind = true;
            }
        }
    }

    private List<ContainerInfo> SnapshotLocked(Func<string, bool> engineVisible) =>
        _containers.Values.Where(c => engineVisible(c.Engine)).ToList();

    private List<ContainerInfo> SnapshotLocked(Subscriber subscriber) =>
        _containers.Values.Where(c => subscriber.EngineVisible(c.Engine)).Select(subscriber.ProjectRow).ToList();

    private ContainerUpdate ResetLocked(Subscriber subscriber)
    {
        while (subscriber.Queue.Reader.TryRead(out _))
        {
        }

        subscriber.FellBehind = false;
        return new ContainerUpdate([], SnapshotLocked(subscriber));
    }

    internal async IAsyncEnumerable<ContainerUpdate> ReadAsync(Subscriber subscriber, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = subscriber.Queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            if (subscriber.FellBehind)
            {
                ContainerUpdate reset;
                lock (_lock)
                {
                    reset = ResetLocked(subscriber);
                }

                yield return reset;
                continue;
            }

            while (reader.TryRead(out var update))
            {
                yield return update;
            }
        }
    }

    internal void Unsubscribe(Subscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscriber);
        }

        subscriber.Queue.Writer.TryComplete();
    }

    internal sealed class Subscriber(Func<string, bool> engineVisible, Func<ContainerInfo, ContainerInfo> project, int capacity)
    {
        public Func<string, bool> EngineVisible { get; } = engineVisible;

        public Func<ContainerInfo, ContainerInfo> ProjectRow { get; } = project;

        /// <summary>The update as this subscriber sees it; the shared one itself when projecting changes nothing.</summary>
        public ContainerUpdate Project(ContainerUpdate update)
        {
            List<ContainerChange>? projected = null;
            for (var i = 0; i < update.Changes.Count; i++)
            {
                var change = update.Changes[i];
                if (change.Container is { } row && ProjectRow(row) is var seen && !ReferenceEquals(seen, row))
                {
                    projected ??= [.. update.Changes];
                    projected[i] = change with { Container = seen };
                }
            }

            return projected is null ? update : new ContainerUpdate(projected);
        }

        public Channel<ContainerUpdate> Queue { get; } = Channel.CreateBounded<ContainerUpdate>(
            new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public volatile bool FellBehind;
    }
}

/// <summary>A snapshot plus the updates after it. Dispose it to stop receiving.</summary>
public sealed class ContainerSubscription : IDisposable
{
    private readonly ContainerStore _store;
    private readonly ContainerStore.Subscriber _subscriber;

    internal ContainerSubscription(ContainerStore store, ContainerStore.Subscriber subscriber, IReadOnlyList<ContainerInfo> snapshot)
    {
        _store = store;
        _subscriber = subscriber;
        Snapshot = snapshot;
    }

    public IReadOnlyList<ContainerInfo> Snapshot { get; }

    public IAsyncEnumerable<ContainerUpdate> ReadUpdatesAsync(CancellationToken cancellationToken) =>
        _store.ReadAsync(_subscriber, cancellationToken);

    public void Dispose() => _store.Unsubscribe(_subscriber);
}
