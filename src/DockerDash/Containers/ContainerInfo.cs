namespace DockerDash.Containers;

/// <summary>Identifies a container across engines.</summary>
public readonly record struct ContainerKey(string Engine, string Id);

/// <summary>One published port: <c>127.0.0.1:8080->80/tcp</c>.</summary>
public sealed record ContainerPort(string? HostIp, int? HostPort, int PrivatePort, string Protocol)
{
    public override string ToString() =>
        HostPort is { } hostPort
            ? $"{(string.IsNullOrEmpty(HostIp) ? "" : HostIp + ":")}{hostPort}->{PrivatePort}/{Protocol}"
            : $"{PrivatePort}/{Protocol}";
}

/// <summary>A container as listed by its engine: one row of the containers page, immutable.</summary>
public sealed record ContainerInfo(
    string Engine,
    string Id,
    string Name,
    string Image,
    string Command,
    DateTimeOffset Created,
    string State,
    int? ExitCode,
    string? Health,
    IReadOnlyList<ContainerPort> Ports,
    IReadOnlyDictionary<string, string> Labels,
    int RestartCount = 0)
{
    public const string ComposeProjectLabel = "com.docker.compose.project";

    public ContainerKey Key => new(Engine, Id);

    public string ShortId => Id.Length > 12 ? Id[..12] : Id;

    public string? ComposeProject => Labels.GetValueOrDefault(ComposeProjectLabel);

    public bool IsRunning => State is "running" or "restarting";

    public bool IsPaused => State == "paused";

    /// <summary>
    /// What the exit code adds to the state: "exit code 1", "last exit 1" while restarting, or nothing.
    /// (The engine's own status text holds relative times, "Up 5 minutes", that go stale between events.)
    /// </summary>
    public string? StatusNote => (State, ExitCode) switch
    {
        ("exited" or "dead", { } code) => $"exit code {code}",
        ("restarting", { } code) => $"last exit {code}",
        _ => null,
    };

    /// <summary>How many times the engine restarted it by its restart policy (known once inspected after an event; the list does not say).</summary>
    public bool WasRestarted => RestartCount > 0;

    /// <summary>Value equality including the collections, so that a re-list that changed nothing publishes nothing.</summary>
    public bool Equals(ContainerInfo? other) =>
        other is not null
        && Engine == other.Engine && Id == other.Id && Name == other.Name && Image == other.Image
        && Command == other.Command && Created == other.Created && State == other.State
        && ExitCode == other.ExitCode && Health == other.Health && RestartCount == other.RestartCount
        && Ports.SequenceEqual(other.Ports)
        && Labels.Count == other.Labels.Count && Labels.All(l => other.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    public override int GetHashCode() => HashCode.Combine(Engine, Id, State, ExitCode);
}
