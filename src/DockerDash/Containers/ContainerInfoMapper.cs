using System.Globalization;
using Docker.DotNet.Models;
using DockerDash.Containers.Create;

namespace DockerDash.Containers;

/// <summary>Turns the engine's list rows and inspect documents into <see cref="ContainerInfo"/>.</summary>
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
        ExitCodeFromStatus(c.Status),
        c.Health?.Status is { Length: > 0 } health && health != "none" ? health : HealthFromStatus(c.Status),
        Ports((c.Ports ?? []).Select(p => new ContainerPort(p.IP, p.PublicPort, p.PrivatePort, p.Type))),
        c.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels));

    /// <summary>
    /// The same row from an inspect document. The watcher inspects containers that an event named:
    /// inspect waits for the container's lock, so it sees the state the event announced, where a list
    /// (served from a copy the engine updates after some events) may not yet.
    /// </summary>
    public static ContainerInfo FromInspect(string engine, ContainerInspectResponse c)
    {
        var state = c.State?.Status ?? "unknown";
        var ports = (c.NetworkSettings?.Ports ?? new Dictionary<string, IList<PortBinding>>()).SelectMany(p => PortsOf(p.Key, p.Value));
        return new ContainerInfo(
            engine,
            c.ID,
            c.Name.TrimStart('/'),
            c.Config?.Image ?? c.Image,
            string.Join(' ', new[] { c.Path }.Concat((c.Args ?? []).Select(CommandLineWords.Quote))),
            new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)),
            state,
            state is "exited" or "dead" or "restarting" && c.State is { } s ? (int)s.ExitCode : null,
            c.State?.Health?.Status is { Length: > 0 } health && health != "none" ? health : null,
            Ports(ports),
            c.Config?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(),
            (int)c.RestartCount);
    }

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

    /// <summary>"Exited (137) 5 minutes ago" and "Restarting (1) 2 seconds ago" carry the last exit code.</summary>
    public static int? ExitCodeFromStatus(string status)
    {
        if (!status.StartsWith("Exited", StringComparison.Ordinal) && !status.StartsWith("Restarting", StringComparison.Ordinal))
        {
            return null;
        }

        var open = status.IndexOf('(', StringComparison.Ordinal);
        var close = status.IndexOf(')', StringComparison.Ordinal);
        return open >= 0 && close > open && int.TryParse(status.AsSpan(open + 1, close - open - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
            ? code
            : null;
    }

    private static IEnumerable<ContainerPort> PortsOf(string key, IList<PortBinding>? bindings)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var port = int.Parse(slash < 0 ? key : key[..slash], CultureInfo.InvariantCulture);
        var protocol = slash < 0 ? "tcp" : key[(slash + 1)..];
        if (bindings is not { Count: > 0 })
        {
            return [new ContainerPort(null, null, port, protocol)];
        }

        return bindings.Select(b => new ContainerPort(
            string.IsNullOrEmpty(b.HostIP) ? null : b.HostIP,
            int.TryParse(b.HostPort, NumberStyles.Integer, CultureInfo.InvariantCulture, out var host) ? host : null,
            port,
            protocol));
    }

    private static List<ContainerPort> Ports(IEnumerable<ContainerPort> ports) =>
        ports.Distinct().OrderBy(p => p.PrivatePort).ThenBy(p => p.Protocol, StringComparer.Ordinal).ThenBy(p => p.HostPort).ThenBy(p => p.HostIp, StringComparer.Ordinal).ToList();
}
