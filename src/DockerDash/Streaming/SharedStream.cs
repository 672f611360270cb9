using DockerDash.Containers;

namespace DockerDash.Streaming;

/// <summary>
/// One upstream shared by every viewer: started by the first viewer, stopped <see cref="Linger"/>
/// after the last leaves. Each viewer has its own bounded queue (oldest dropped and counted when it
/// falls behind), so no viewer slows the others or the upstream read.
/// </summary>
public abstract class SharedStream<T> : IDisposable
    where T : class
{
    private readonly Lock _lock = new();
    private readonly List<Viewer> _viewers = [];
    private readonly int _queueCapacity;
    private CancellationTokenSource? _run;
    private CancellationTokenSource? _linger;

    private readonly Func<T, int>? _weigh;

    /// <param name="weigh">What an item counts for against a viewer's queue capacity (a batch: its size); one if not given.</param>
    protected SharedStream(ContainerKey key, TimeSpan linger, int queueCapacity, Func<T, int>? weigh = null)
    {
        Key = key;
        Linger = linger;
        _queueCapacity = queueCapacity;
        _weigh = weigh;
    }

    public ContainerKey Key { get; }

    public TimeSpan Linger { get; }

    /// <summary>Called once the upstream stopped for lack of viewers.</summary>
    public event Action<SharedStream<T>>? Stopped;

    public bool Running
    {
        get { lock (_lock) { return _run is not null; } }
    }

    public int ViewerCount
    {
        get { lock (_lock) { return _viewers.Count; } }
    }

    /// <summary>How long to wait before opening the upstream again after it ended or failed.</summary>
    protected virtual TimeSpan RetryDelay => TimeSpan.FromSeconds(1);

    /// <summary>Opens the upstream once and reads it to its end, handing what it reads to <see cref="Deliver"/>.</summary>
    protected abstract Task ReadOnceAsync(CancellationToken cancellationToken);

    /// <summary>Says why the upstream ended (the container stopped, the engine went away); it is opened again.</summary>
    protected abstract void Ended(Exception reason);

    /// <summary>Reads the upstream until cancelled, opening it again whenever it ends.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReadOnceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Ended(e);
            }

            try
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Adds a viewer that receives every item; the first viewer starts the upstream. Whatever a viewer does
    /// with items (filtering) it does in its own reader: the shared reader only queues.
    /// </summary>
    public Viewer Join()
    {
        var viewer = new Viewer(new SubscriberQueue<T>(_queueCapacity, _weigh));
        lock (_lock)
        {
            _viewers.Add(viewer);
            _linger?.Cancel();
            _linger = null;
            if (_run is null)
            {
                _run = new CancellationTokenSource();
                var token = _run.Token;
                _ = Task.Run(() => PumpAsync(token), CancellationToken.None);
            }
        }

        return viewer;
    }

    public void Leave(Viewer viewer)
    {
        viewer.Queue.Complete();
        lock (_lock)
        {
            _viewers.Remove(viewer);
            if (_viewers.Count > 0 || _run is null)
            {
                return;
            }

            var linger = _linger = new CancellationTokenSource();
            _ = StopAfterLingerAsync(linger.Token);
        }
    }

    protected void Deliver(T item)
    {
        Viewer[] viewers;
        lock (_lock)
        {
            viewers = [.. _viewers];
        }

        foreach (var viewer in viewers)
        {
            viewer.Queue.Write(item);
        }
    }

    private async Task StopAfterLingerAsync(CancellationToken cancelled)
    {
        try
        {
            await Task.Delay(Linger, cancelled);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_lock)
        {
            if (_viewers.Count > 0 || _run is null)
            {
                return;
            }

            _run.Cancel();
            _run.Dispose();
            _run = null;
        }

        Stopped?.Invoke(this);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _run?.Cancel();
            _run?.Dispose();
            _run = null;
            _linger?.Cancel();
            _linger?.Dispose();
            _linger = null;
        }

        GC.SuppressFinalize(this);
    }

    public sealed class Viewer(SubscriberQueue<T> queue)
    {
        public SubscriberQueue<T> Queue { get; } = queue;
    }
}

/// <summary>Every container's shared stream of one kind, made on first use and dropped when it stops.</summary>
public sealed class SharedStreams<T, TStream>
    where T : class
    where TStream : SharedStream<T>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ContainerKey, TStream> _streams = [];

    /// <summary>How many upstreams are open right now.</summary>
    public int OpenStreams
    {
        get { lock (_lock) { return _streams.Values.Count(s => s.Running); } }
    }

    public TStream? Find(ContainerKey key)
    {
        lock (_lock)
        {
            return _streams.GetValueOrDefault(key);
        }
    }

    /// <summary>Joins the container's stream (made if needed), under one lock with its removal, so a container never gets two upstreams.</summary>
    public (TStream Stream, SharedStream<T>.Viewer Viewer) Join(ContainerKey key, Func<TStream> create)
    {
        lock (_lock)
        {
            if (!_streams.TryGetValue(key, out var stream))
            {
                _streams[key] = stream = create();
                stream.Stopped += Remove;
            }

            return (stream, stream.Join());
        }
    }

    private void Remove(SharedStream<T> stream)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(stream.Key, out var known) && ReferenceEquals(known, stream) && !stream.Running)
            {
                _streams.Remove(stream.Key);
                stream.Dispose();
            }
        }
    }
}
