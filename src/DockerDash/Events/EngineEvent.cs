namespace DockerDash.Events;

/// <summary>One engine event (container, image, network, volume...), as the engine reported it.</summary>
public sealed record EngineEvent(
    string Engine,
    string Type,
    string Action,
    string Id,
    string? Name,
    long TimeNano,
    IReadOnlyDictionary<string, string> Attributes)
{
    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddTicks(TimeNano / 100);
}

/// <summary>Which events a subscriber wants; null matches everything.</summary>
public sealed record EngineEventFilter(string? Engine = null, string? Type = null, string? Action = null, string? Container = null)
{
    public bool Matches(EngineEvent e) =>
        (Engine is null || string.Equals(Engine, e.Engine, StringComparison.OrdinalIgnoreCase))
        && (Type is null || string.Equals(Type, e.Type, StringComparison.OrdinalIgnoreCase))
        && (Action is null || ActionMatches(e.Action))
        && (Container is null || (e.Type == "container" && (e.Id.StartsWith(Container, StringComparison.Ordinal) || e.Name == Container)));

    // "health_status: healthy" matches the action "health_status"; "exec_start: sh" matches "exec_start".
    private bool ActionMatches(string action) =>
        string.Equals(Action, action, StringComparison.OrdinalIgnoreCase)
        || (action.StartsWith(Action!, StringComparison.OrdinalIgnoreCase) && action.Length > Action!.Length && action[Action.Length] == ':');
}
