namespace DockerDash.Events;

/// <summary>
/// What the events page shows of a history: by engine and type (exact), action (prefix, so
/// <c>health</c> finds <c>health_status: unhealthy</c>) and name (part of the object's name or id).
/// Exec events (<c>exec_create</c>, <c>exec_start</c>, <c>exec_die</c>: three per health check per
/// interval) are left out unless asked for, by the switch or by an action filter starting with <c>exec</c>.
/// </summary>
public sealed record EventView(string? Engine = null, string? Type = null, string? Action = null, string? Name = null, bool ShowExec = false)
{
    /// <summary>The object types the engine reports events for.</summary>
    public static IReadOnlyList<string> Types { get; } = ["container", "image", "network", "volume", "daemon", "plugin", "service", "node", "secret", "config"];

    public bool Matches(EngineEvent e) =>
        (ShowExec || !IsExec(e) || (Action?.Trim().StartsWith("exec", StringComparison.OrdinalIgnoreCase) ?? false))
        && (string.IsNullOrEmpty(Engine) || string.Equals(Engine, e.Engine, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(Type) || string.Equals(Type, e.Type, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Action) || e.Action.StartsWith(Action.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Name) || NameMatches(e, Name.Trim()));

    /// <summary>An exec in a container: health checks make three of these every interval.</summary>
    public static bool IsExec(EngineEvent e) => e.Type == "container" && e.Action.StartsWith("exec_", StringComparison.Ordinal);

    /// <summary>What an event says beyond its action: a container's exit code when it dies, the signal it was sent.</summary>
    public static string? DetailOf(EngineEvent e) => e.Action switch
    {
        "die" when e.Attributes.TryGetValue("exitCode", out var code) => $"exit code {code}",
        "kill" when e.Attributes.TryGetValue("signal", out var signal) => $"signal {signal}",
        _ => null,
    };

    private static bool NameMatches(EngineEvent e, string name) =>
        (e.Name?.Contains(name, StringComparison.OrdinalIgnoreCase) ?? false)
        || e.Id.StartsWith(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where an event's object is shown: a container's, volume's or network's page, the containers using an image; other objects have no page.</summary>
    public static string? LinkOf(EngineEvent e) => e.Type switch
    {
        "container" when e.Action != "destroy" => $"/containers/{Uri.EscapeDataString(e.Engine)}/{Uri.EscapeDataString(e.Id)}",
        "image" => $"/containers?q={Uri.EscapeDataString(e.Name ?? e.Id)}&engine={Uri.EscapeDataString(e.Engine)}",
        "volume" when e.Action != "destroy" => $"/volumes/{Uri.EscapeDataString(e.Engine)}/{Uri.EscapeDataString(e.Id)}",
        "network" when e.Action != "destroy" => $"/networks/{Uri.EscapeDataString(e.Engine)}/{Uri.EscapeDataString(e.Name ?? e.Id)}",
        _ => null,
    };

    /// <summary>The object as a person reads it: its name, else a short id.</summary>
    public static string ObjectOf(EngineEvent e) => e.Name ?? (e.Id.Length > 12 && !e.Id.Contains(':', StringComparison.Ordinal) ? e.Id[..12] : e.Id);
}
