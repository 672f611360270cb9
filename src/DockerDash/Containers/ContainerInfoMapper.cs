using Docker.DotNet.Models;

namespace DockerDash.Containers;

/// <summary>Turns the engine's list rows into <see cref="ContainerInfo"/>.</summary>
public static class ContainerInfoMapper
{
    public static ContainerInfo FromListResponse(string engine, ContainerListResponse c) => new(
        engine,
        c.ID,
        (c.Names?.FirstOrDefault() ?? c.ID).TrimStart('/'),
        c.Image,
        c.Command,
        new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)),
        c.State,
        c.Status,
        c.Health?.Status is { Length: > 0 } health && health != "none" ? health : HealthFromStatus(c.Status),
        (c.Ports ?? []).Select(p => new ContainerPort(p.IP, p.PublicPort, p.PrivatePort, p.Type))
            .Distinct()
            .OrderBy(p => p.PrivatePort).ThenBy(p => p.HostPort).ToList(),
        c.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels));

    /// <summary>API 1.41 lists no health object; its status text ends in "(healthy)", "(unhealthy)" or "(health: starting)".</summary>
    public static string? HealthFromStatus(string status)
    {
        if (status.EndsWith("(healthy)", StringComparison.Ordinal))
        {
            return "healthy";
        }

        if (status.EndsWith("(unhealthy)", StringComparison.Ordinal))
        {
            return "unhealthy";
        }

        return status.EndsWith("(health: starting)", StringComparison.Ordinal) ? "starting" : null;
    }
}
