namespace DockerDash.Events;

/// <summary>
/// What the events page shows of a history: by engine and type (exact), action (prefix, so
/// <c>health</c> finds <c>health_status: unhealthy</c>) and name (part of the object's name or id).
/// </summary>
public sealed record EventView(string? Engine = null, string? Type = null, string? Action = null, string? Name = null)
{
    /// <summary>The object types the engine reports events for.</summary>
    public static IReadOnlyList<string> Types { get; } = ["container", "image", "network", "volume", "daemon", "plugin", "service", "node", "secret", "config"];

    public bool Matches(EngineEvent e) =>
        (string.IsNullOrEmpty(Engine) || string.Equals(Engine, e.Engine, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(Type) || string.Equals(Type, e.Type, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Action) || e.Action.StartsWith(Action.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Name) || NameMatches(e, Name.Trim()));

    private static bool NameMatches(EngineEvent e, string name) =>
        (e.Name?.Contains(name, StringComparison.OrdinalIgnoreCase) ?? false)
        || e.Id.StartsWith(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where an event's object is shown: a container's page, the containers using an image; other objects have no page.</summary>
    public static string? LinkOf(EngineEvent e) => e.Type switch
    {
        "container" when e.Action != "destroy" => $"/containers/{Uri.EscapeDataString(e.Engine)}/{Uri.EscapeDataString(e.Id)}",
        "image" => $"/containers?q={Uri.EscapeDataString(e.Name ?? e.Id)}&engine={Uri.EscapeDataString(e.Engine)}",
        _ => null,
    };

    /// <summary>The object as a person reads it: its name, else a short id.</summary>
    public static string ObjectOf(EngineEvent e) => e.Name ?? (e.Id.Length > 12 && !e.Id.Contains(':', StringComparison.Ordinal) ? e.Id[..12] : e.Id);
}
