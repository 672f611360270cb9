using System.Globalization;
using Docker.DotNet.Models;

namespace DockerDash.Containers.Create;

/// <summary>
/// "Duplicate / edit": the create form filled from an existing container, and the create request made from the form on
/// top of that container's whole configuration, so that what the form has no field for (health check, capabilities,
/// devices, log options, ...) is kept as it was.
/// </summary>
public static class ContainerDuplicate
{
    /// <summary>The form as the container was configured; the name gets "-copy" so that both can exist.</summary>
    public static ContainerCreateForm FormOf(string engine, ContainerInspectResponse container)
    {
        var config = container.Config ?? new ContainerConfig();
        var host = container.HostConfig ?? new HostConfig();
        return new ContainerCreateForm
        {
            Engine = engine,
            Image = config.Image ?? "",
            Name = container.Name.TrimStart('/') + "-copy",
            Command = Words(config.Cmd),
            Entrypoint = Words(config.Entrypoint),
            Environment = string.Join('\n', config.Env ?? []),
            Ports = string.Join('\n', (host.PortBindings ?? new Dictionary<string, IList<PortBinding>>())
                .SelectMany(p => (p.Value ?? []).Select(b => PortLine(b, p.Key)))),
            Mounts = string.Join('\n', (container.Mounts ?? []).Where(m => m.Type is "bind" or "volume")
                .Select(m => $"{(m.Type == "volume" ? m.Name : m.Source)}:{m.Destination}{(m.RW ? "" : ":ro")}")),
            RestartPolicy = host.RestartPolicy?.Name switch
            {
                RestartPolicyKind.Always => "always",
                RestartPolicyKind.UnlessStopped => "unless-stopped",
                RestartPolicyKind.OnFailure => host.RestartPolicy.MaximumRetryCount > 0 ? $"on-failure:{host.RestartPolicy.MaximumRetryCount}" : "on-failure",
                _ => "no",
            },
            Labels = string.Join('\n', (config.Labels ?? new Dictionary<string, string>()).Select(l => $"{l.Key}={l.Value}")),
            Memory = host.Memory > 0 ? host.Memory.ToString(CultureInfo.InvariantCulture) : "",
            Cpus = host.NanoCPUs > 0 ? (host.NanoCPUs / 1e9).ToString("0.###", CultureInfo.InvariantCulture) : "",
            NetworkMode = host.NetworkMode is null or "default" ? "" : host.NetworkMode,
            Tty = config.Tty,
            AutoRemove = host.AutoRemove,
            User = config.User ?? "",
            WorkingDir = config.WorkingDir ?? "",
            StartAfterCreate = container.State?.Running == true,
        };
    }

    /// <summary>The container's whole configuration with every field the form has taken from <paramref name="plan"/>.</summary>
    public static CreateContainerParameters Over(ContainerCreatePlan plan, ContainerInspectResponse source)
    {
        var asked = plan.Parameters;
        var host = source.HostConfig ?? new HostConfig();
        var planned = asked.HostConfig ?? new HostConfig();
        host.PortBindings = planned.PortBindings;
        host.Binds = [];
        host.Mounts = planned.Mounts;
        host.RestartPolicy = planned.RestartPolicy ?? new RestartPolicy { Name = RestartPolicyKind.No };
        host.Memory = planned.Memory;
        host.NanoCPUs = planned.NanoCPUs;
        host.NetworkMode = planned.NetworkMode;
        host.AutoRemove = planned.AutoRemove;
        var merged = new CreateContainerParameters(source.Config ?? new ContainerConfig())
        {
            Name = asked.Name,
            Image = asked.Image,
            Cmd = asked.Cmd,
            Entrypoint = asked.Entrypoint,
            Env = asked.Env,
            ExposedPorts = asked.ExposedPorts,
            Labels = asked.Labels,
            Tty = asked.Tty,
            OpenStdin = asked.OpenStdin,
            User = asked.User,
            WorkingDir = asked.WorkingDir,
            HostConfig = host,
        };

        // A hostname the engine made up for the source (its id) is not the copy's.
        if (merged.Hostname is { } hostname && source.ID.StartsWith(hostname, StringComparison.Ordinal))
        {
            merged.Hostname = "";
        }

        return merged;
    }

    private static string Words(IList<string>? words) => words is null ? "" : string.Join(' ', words.Select(CommandLineWords.Quote));

    private static string PortLine(PortBinding binding, string containerPort) =>
        (string.IsNullOrEmpty(binding.HostIP) ? "" : binding.HostIP + ":") + (string.IsNullOrEmpty(binding.HostPort) ? "" : binding.HostPort + ":") + containerPort;
}
