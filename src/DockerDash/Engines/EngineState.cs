namespace DockerDash.Engines;

public enum EngineStatus
{
    Connecting,
    Up,
    Reconnecting,
    Down,
}

/// <summary>
/// What is known about one engine right now; immutable, replaced on every change. <see cref="Product"/> is what answers
/// the Engine API there: <see cref="EngineProducts.Docker"/> or <see cref="EngineProducts.Podman"/> (its Docker-compatible API).
/// </summary>
public sealed record EngineState(string Name, string Endpoint, EngineStatus Status, string? Reason, string? ApiVersion, string? EngineVersion, DateTimeOffset Since, string Product = EngineProducts.Docker)
{
    public bool IsUp => Status == EngineStatus.Up;

    public bool IsPodman => Product == EngineProducts.Podman;
}

/// <summary>The engines DockerDash tells apart by their <c>/version</c>; where Podman differs, the README's compatibility table says how.</summary>
public static class EngineProducts
{
    public const string Docker = "Docker";

    public const string Podman = "Podman";

    /// <summary>Podman names itself among the components of <c>/version</c> ("Podman Engine").</summary>
    public static string Of(Docker.DotNet.Models.VersionResponse version) =>
        version.Components?.Any(c => c.Name?.StartsWith(Podman, StringComparison.OrdinalIgnoreCase) == true) == true ? Podman : Docker;
}
