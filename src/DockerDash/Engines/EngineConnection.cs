using Docker.DotNet;

namespace DockerDash.Engines;

/// <summary>One engine: its endpoint, its current client and its state. Owned by <see cref="EngineWatcher"/>.</summary>
public sealed class EngineConnection : IDisposable
{
    private readonly Lock _lock = new();
    private NegotiatedEngine? _negotiated;

    public EngineConnection(EngineEndpoint endpoint, TimeProvider time)
    {
        Endpoint = endpoint;
        Time = time;
        State = new EngineState(endpoint.Name, endpoint.Endpoint.ToString(), EngineStatus.Connecting, null, null, null, time.GetUtcNow());
    }

    public EngineEndpoint Endpoint { get; }

    public string Name => Endpoint.Name;

    public TimeProvider Time { get; }

    public EngineState State { get; private set; }

    /// <summary>Raised after <see cref="State"/> changed, on the watcher's task.</summary>
    public event Action<EngineState>? StateChanged;

    /// <summary>The negotiated client, or null while the engine has never been reached.</summary>
    public IDockerClient? Client
    {
        get { lock (_lock) { return _negotiated?.Client; } }
    }

    /// <summary>The plain HTTP client for raw streams, or null while the engine has never been reached.</summary>
    public HttpClient? Http
    {
        get { lock (_lock) { return _negotiated?.Http; } }
    }

    internal void Connected(NegotiatedEngine negotiated)
    {
        NegotiatedEngine? old;
        lock (_lock)
        {
            (old, _negotiated) = (_negotiated, negotiated);
        }

        old?.Dispose();
        SetState(EngineStatus.Up, null, negotiated.ApiVersion, negotiated.EngineVersion, negotiated.Product);
    }

    internal void Lost(string reason, bool retrying) =>
        SetState(retrying ? EngineStatus.Reconnecting : EngineStatus.Down, reason, State.ApiVersion, State.EngineVersion, State.Product);

    private void SetState(EngineStatus status, string? reason, string? apiVersion, string? engineVersion, string product)
    {
        var next = State with { Status = status, Reason = reason, ApiVersion = apiVersion, EngineVersion = engineVersion, Product = product, Since = Time.GetUtcNow() };
        if (next with { Since = State.Since } == State)
        {
            return;
        }

        State = next;
        StateChanged?.Invoke(next);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _negotiated?.Dispose();
            _negotiated = null;
        }
    }
}
