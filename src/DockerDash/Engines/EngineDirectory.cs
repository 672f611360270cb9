namespace DockerDash.Engines;

/// <summary>Every configured engine by name. The only place that hands out engine clients (to the operation gate).</summary>
public sealed class EngineDirectory : IDisposable
{
    private readonly Dictionary<string, EngineConnection> _byName;

    public EngineDirectory(IEnumerable<EngineEndpoint> endpoints, TimeProvider time)
    {
        Connections = endpoints.Select(e => new EngineConnection(e, time)).ToList();
        _byName = Connections.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var connection in Connections)
        {
            connection.StateChanged += state => StateChanged?.Invoke(state);
        }
    }

    public IReadOnlyList<EngineConnection> Connections { get; }

    public IReadOnlyList<EngineState> States => Connections.Select(c => c.State).ToList();

    /// <summary>Raised when any engine's state changes.</summary>
    public event Action<EngineState>? StateChanged;

    /// <summary>The engine of that name; null for none (also for a request that named none at all).</summary>
    public EngineConnection? Find(string? name) => name is null ? null : _byName.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var connection in Connections)
        {
            connection.Dispose();
        }
    }
}
