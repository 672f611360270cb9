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
    string Status,
    string? Health,
    IReadOnlyList<ContainerPort> Ports,
    IReadOnlyDictionary<string, string> Labels)
{
    public const string ComposeProjectLabel = "com.docker.compose.project";

    public ContainerKey Key => new(Engine, Id);

    public string ShortId => Id.Length > 12 ? Id[..12] : Id;

    public string? ComposeProject => Labels.GetValueOrDefault(ComposeProjectLabel);

    public bool IsRunning => State is "running" or "restarting";

    public bool IsPaused => State == "paused";

    /// <summary>
    /// What the status adds to the state, without the engine's relative times ("Up 5 minutes"),
    /// which would go stale between events: "exit code 1", "restarting", or nothing.
    /// </summary>
    public string? StatusNote => State switch
    {
        "exited" or "dead" when ExitCodeFromStatus(Status) is { } code => $"exit code {code}",
        "restarting" => Status.Split(' ', 3) is [_, var code, ..] ? $"last exit {code.Trim('(', ')')}" : null,
        _ => null,
    };

    private static int? ExitCodeFromStatus(string status)
    {
        var open = status.IndexOf('(', StringComparison.Ordinal);
        var close = status.IndexOf(')', StringComparison.Ordinal);
        return open >= 0 && close > open && int.TryParse(status.AsSpan(open + 1, close - open - 1), out var code) ? code : null;
    }

    /// <summary>Value equality including the collections, so that a re-list that changed nothing publishes nothing.</summary>
    public bool Equals(ContainerInfo? other) =>
        other is not null
        && Engine == other.Engine && Id == other.Id && Name == other.Name && Image == other.Image
        && Command == other.Command && Created == other.Created && State == other.State
        && Status == other.Status && Health == other.Health
        && Ports.SequenceEqual(other.Ports)
        && Labels.Count == other.Labels.Count && Labels.All(l => other.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    public override int GetHashCode() => HashCode.Combine(Engine, Id, State, Status);
}
