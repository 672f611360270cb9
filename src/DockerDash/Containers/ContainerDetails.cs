using Docker.DotNet.Models;

namespace DockerDash.Containers;

/// <summary>A mount as the detail page shows it.</summary>
public sealed record ContainerMount(string Type, string Source, string Destination, bool ReadOnly);

/// <summary>One network the container is attached to.</summary>
public sealed record ContainerNetwork(string Name, string? IpAddress);

/// <summary>What the detail page shows of an inspected container.</summary>
public sealed record ContainerDetails(
    string Engine,
    string Id,
    string Name,
    string Image,
    string Command,
    DateTimeOffset Created,
    string State,
    long ExitCode,
    long RestartCount,
    string? Health,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    bool Tty,
    IReadOnlyList<string> Ports,
    IReadOnlyList<ContainerMount> Mounts,
    IReadOnlyList<ContainerNetwork> Networks,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Environment,
    bool SecretsHidden = false)
{
    public const string Mask = SecretMasking.Mask;

    public bool IsRunning => State is "running" or "restarting";

    public bool IsPaused => State == "paused";

    public static ContainerDetails FromInspect(string engine, ContainerInspectResponse c)
    {
        var command = string.Join(' ', new[] { c.Path }.Concat(c.Args ?? []));
        var ports = (c.NetworkSettings?.Ports ?? new Dictionary<string, IList<PortBinding>>())
            .SelectMany(p => p.Value is { Count: > 0 } bindings
                ? bindings.Select(b => $"{(string.IsNullOrEmpty(b.HostIP) ? "" : b.HostIP + ":")}{b.HostPort}->{p.Key}")
                : [p.Key])
            .Distinct().ToList();
        return new ContainerDetails(
            engine,
            c.ID,
            c.Name.TrimStart('/'),
            c.Config?.Image ?? c.Image,
            command,
            new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)),
            c.State?.Status ?? "unknown",
            c.State?.ExitCode ?? 0,
            c.RestartCount,
            c.State?.Health?.Status is { Length: > 0 } h && h != "none" ? h : null,
            string.IsNullOrEmpty(c.State?.Error) ? null : c.State.Error,
            ParseTime(c.State?.StartedAt),
            ParseTime(c.State?.FinishedAt),
            c.Config?.Tty ?? false,
            ports,
            (c.Mounts ?? []).Select(m => new ContainerMount(m.Type ?? "", m.Name is { Length: > 0 } n && m.Type == "volume" ? n : m.Source, m.Destination, !m.RW)).ToList(),
            (c.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
                .Select(n => new ContainerNetwork(n.Key, string.IsNullOrEmpty(n.Value?.IPAddress) ? null : n.Value.IPAddress)).ToList(),
            c.Config?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(),
            c.Config?.Env?.ToList() ?? []);
    }

    /// <summary>
    /// The same container for a caller who may not see secrets: environment values and secret-looking
    /// labels masked everywhere, with nothing left to reveal.
    /// </summary>
    public ContainerDetails WithoutSecrets() => this with
    {
        Environment = Environment.Select(SecretMasking.MaskVariable).ToList(),
        Labels = SecretMasking.MaskLabels(Labels),
        Command = SecretMasking.MaskCommand(Command),
        SecretsHidden = true,
    };

    private static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, out var t) && t.Year > 1 ? t : null;
}

/// <summary>The processes running in a container, as <c>top</c> lists them.</summary>
public sealed record ContainerProcesses(IReadOnlyList<string> Titles, IReadOnlyList<IReadOnlyList<string>> Rows);
