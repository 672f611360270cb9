namespace DockerDash.Engines;

public enum EngineStatus
{
    Connecting,
    Up,
    Reconnecting,
    Down,
}

/// <summary>What is known about one engine right now; immutable, replaced on every change.</summary>
public sealed record EngineState(string Name, string Endpoint, EngineStatus Status, string? Reason, string? ApiVersion, string? EngineVersion, DateTimeOffset Since)
{
    public bool IsUp => Status == EngineStatus.Up;
}
