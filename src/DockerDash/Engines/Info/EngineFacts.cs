using System.Text.Json;

namespace DockerDash.Engines.Info;

/// <summary>What an engine says about itself (<c>GET /info</c>), the parts a person checks.</summary>
public sealed record EngineFacts(
    string Name, string Transport, string? ServerVersion, string? ApiVersion, string? OperatingSystem, string? Kernel, string? Architecture,
    int Cpus, long Memory, string? StorageDriver, string? LoggingDriver, string? CgroupDriver, string? CgroupVersion, string? RootDir,
    IReadOnlyList<string> SecurityOptions, int Containers, int Running, int Paused, int Stopped, int Images, string Product = EngineProducts.Docker)
{
    public bool Rootless => SecurityOptions.Any(o => o.Contains("name=rootless", StringComparison.Ordinal));

    public bool UserNamespaces => SecurityOptions.Any(o => o.Contains("name=userns", StringComparison.Ordinal));

    public bool Seccomp => SecurityOptions.Any(o => o.Contains("name=seccomp", StringComparison.Ordinal));

    public bool AppArmor => SecurityOptions.Any(o => o.Contains("name=apparmor", StringComparison.Ordinal));

    public bool SELinux => SecurityOptions.Any(o => o.Contains("name=selinux", StringComparison.Ordinal));

    public static EngineFacts Parse(string engine, EngineTransport transport, string product, string? apiVersion, JsonElement info) => new(
        engine, EngineTransports.Describe(transport), info.Text("ServerVersion"), apiVersion, info.Text("OperatingSystem"), info.Text("KernelVersion"), info.Text("Architecture"),
        info.Int("NCPU"), info.Long("MemTotal"), info.Text("Driver"), info.Text("LoggingDriver"), info.Text("CgroupDriver"), info.Text("CgroupVersion"),
        info.Text("DockerRootDir"), [.. info.Items(nameof(SecurityOptions)).Select(o => o.GetString() ?? "")],
        info.Int(nameof(Containers)), info.Int("ContainersRunning"), info.Int("ContainersPaused"), info.Int("ContainersStopped"), info.Int(nameof(Images)), product);

}

/// <summary>One of the seed's security notes, checked against what the engine says: met, a warning, or for the reader to judge.</summary>
public sealed record SecurityCheck(int Note, string Title, SecurityVerdict Verdict, string Detail);

public enum SecurityVerdict
{
    Met,
    Warning,
    Judge,
}

public static class SecurityNotes
{
    /// <summary>The seed's security notes against an engine's facts and the way DockerDash reaches it.</summary>
    public static IReadOnlyList<SecurityCheck> Check(EngineFacts facts, EngineTransport transport) =>
    [
        new(1, "Only authorised users control the engine", SecurityVerdict.Met, "Every engine call DockerDash makes passes its gate: roles per engine, audited."),
        transport switch
        {
            EngineTransport.Unix => new(2, "The API on a Unix socket", SecurityVerdict.Met, "DockerDash reaches it over its Unix socket: browsers' cross-site requests cannot."),
            EngineTransport.Ssh => new(2, "The API on a Unix socket", SecurityVerdict.Met, "DockerDash reaches its Unix socket on the host through SSH (docker system dial-stdio): browsers' cross-site requests cannot."),
            _ => new(2, "The API on a Unix socket", SecurityVerdict.Judge, $"DockerDash reaches it over {facts.Transport}."),
        },
        transport switch
        {
            EngineTransport.Unix => new(3, "TCP only with TLS and client certificates", SecurityVerdict.Met, "Not reached over TCP."),
            EngineTransport.Ssh => new(3, "TCP only with TLS and client certificates", SecurityVerdict.Met, "Not reached over open TCP: SSH with a key, the host's key checked against known_hosts."),
            EngineTransport.Tls => new(3, "TCP only with TLS and client certificates", SecurityVerdict.Met, "Reached over TLS with a client certificate; the engine's certificate is checked against ca.pem."),
            _ => new(3, "TCP only with TLS and client certificates", SecurityVerdict.Warning, "Plain TCP: whoever reaches this port is root on the engine's host."),
        },
        new(4, "The engine's host apart from other services", SecurityVerdict.Judge, $"{facts.OperatingSystem} ({facts.Kernel}), {facts.Containers} containers: only you know what else runs there."),
        facts.Rootless ? new(5, "Containers as unprivileged users", SecurityVerdict.Met, "The engine runs rootless: a container's root is an unprivileged user on the host.")
            : facts.UserNamespaces ? new(5, "Containers as unprivileged users", SecurityVerdict.Met, "User namespaces remap a container's root to an unprivileged user.")
            : new(5, "Containers as unprivileged users", SecurityVerdict.Warning, "Neither rootless nor user namespaces: a container running as root is root on the host if it escapes; run containers with a user."),
        facts.AppArmor || facts.SELinux
            ? new(6, "AppArmor, SELinux and the like", SecurityVerdict.Met, string.Join(", ", new[] { facts.AppArmor ? "AppArmor" : null, facts.SELinux ? "SELinux" : null, facts.Seccomp ? "seccomp" : null }.OfType<string>()) + " in use.")
            : new(6, "AppArmor, SELinux and the like", facts.Seccomp ? SecurityVerdict.Judge : SecurityVerdict.Warning, facts.Seccomp ? "seccomp only; no AppArmor or SELinux profile." : "No AppArmor, SELinux or seccomp profile."),
    ];
}
