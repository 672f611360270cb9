using Docker.DotNet;
using Docker.DotNet.Models;
using DockerDash.Callers;
using DockerDash.Images;
using DockerDash.Jobs;
using DockerDash.Operations;

namespace DockerDash.Containers;

/// <summary>
/// Replaces a container with a new one of the same configuration: name, image reference (so a newer pull of its tag
/// is used), command, environment, labels, host configuration (restart policy, binds, ports), networks with their
/// aliases, and its anonymous volumes. The old one is renamed aside, the new one created and started, and only then
/// is the old one removed; if the new one cannot be created or started, the old one gets its name back and runs
/// again as it did. One gate call, audited under the operation given.
/// </summary>
public sealed class ContainerRecreate(OperationGate gate, CallerContext caller, ImageService images)
{
    /// <summary>
    /// Recreates one container (<c>container.recreate</c>), pulling its image first when <paramref name="pull"/>; a pull that
    /// fails stops it before the container is touched.
    /// </summary>
    public async Task<RecreateResult> RecreateAsync(ContainerKey key, bool pull, CancellationToken cancellationToken = default)
    {
        gate.Authorize(caller.Current, EngineOperations.ContainerRecreate, key.Engine, key.Id);
        if (pull)
        {
            var image = await gate.RunAsync(caller.Current, EngineOperations.ContainerInspect, key.Engine, key.Id,
                async (client, ct) => (await client.Containers.InspectContainerAsync(key.Id, ct)).Config?.Image ?? "", cancellationToken);
            var pulling = images.StartPull(key.Engine, image);
            await pulling.Completion;
            if (pulling.State != JobState.Succeeded)
            {
                throw new OperationFailedException($"Could not pull {image}, so the container was not touched: {pulling.Outcome}", OperationFailure.Refused);
            }
        }

        return await RecreateAsync(key, EngineOperations.ContainerRecreate, cancellationToken);
    }

    /// <summary>Recreates one container under <paramref name="operation"/> (a project's recreate names its own).</summary>
    public Task<RecreateResult> RecreateAsync(ContainerKey key, Operation operation, CancellationToken cancellationToken = default) =>
        gate.RunAsync(caller.Current, operation, key.Engine, key.Id, (client, ct) => ReplaceAsync(client, key.Id, null, ct), cancellationToken);

    /// <summary>
    /// Says whether the new container (its id, and when it was started) is sound: null when it is, else what went wrong
    /// ("exited with code 1"); the old one is then put back.
    /// </summary>
    public delegate Task<string?> Verdict(IDockerClient client, string created, DateTimeOffset started, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces container <paramref name="id"/> on <paramref name="client"/> (already through the gate); when it ran and
    /// <paramref name="verify"/> finds the new one unsound, the old one comes back and the failure says so.
    /// </summary>
    internal static async Task<RecreateResult> ReplaceAsync(IDockerClient client, string id, Verdict? verify, CancellationToken cancellationToken)
    {
        var old = await client.Containers.InspectContainerAsync(id, cancellationToken);
        var name = old.Name.TrimStart('/');
        var wasRunning = old.State?.Running == true;
        var aside = $"{name}-replaced-{old.ID[..12]}";
        var (create, laterNetworks) = Configuration(old, name, await ImageConfigAsync(client, old.Image, cancellationToken));

        await client.Containers.RenameContainerAsync(old.ID, new ContainerRenameParameters { NewName = aside }, cancellationToken);
        string? created = null;
        try
        {
            created = (await client.Containers.CreateContainerAsync(create, cancellationToken)).ID;
            foreach (var (network, endpoint) in laterNetworks)
            {
                await client.Networks.ConnectNetworkAsync(network, new NetworkConnectParameters { Container = created, EndpointConfig = endpoint }, cancellationToken);
            }

            if (wasRunning)
            {
                await client.Containers.StopContainerAsync(old.ID, new ContainerStopParameters(), cancellationToken);
                var started = DateTimeOffset.UtcNow;
                await client.Containers.StartContainerAsync(created, new ContainerStartParameters(), cancellationToken);
                if (verify is not null && await verify(client, created, started, cancellationToken) is { } unsound)
                {
                    await PutBackAsync(client, old.ID, name, created, wasRunning);
                    throw new OperationFailedException($"{name}: the new container {unsound}, so it was rolled back: the previous container runs again.", OperationFailure.Refused);
                }
            }
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            await PutBackAsync(client, old.ID, name, created, wasRunning);
            throw new OperationFailedException($"Could not recreate {name}: {(e is DockerApiException api ? Engines.EngineErrors.EngineMessage(api) : e.Message)}; the old container is back as it was.", OperationFailure.Refused);
        }

        await client.Containers.RemoveContainerAsync(old.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
        var image = (await client.Containers.InspectContainerAsync(created, cancellationToken)).Image;
        var changed = image == old.Image ? "same image" : $"image {Short(old.Image)} → {Short(image)}";
        return new RecreateResult(created, $"recreated {name} (container {old.ID[..12]} → {created[..12]}, {changed})", image ?? "");
    }

    private static string Short(string? imageId) => imageId is null ? "?" : imageId.Replace("sha256:", "", StringComparison.Ordinal) is { Length: > 12 } id ? id[..12] : imageId;

    private static async Task<DockerOCIImageConfig?> ImageConfigAsync(IDockerClient client, string? image, CancellationToken cancellationToken)
    {
        try
        {
            return image is null ? null : (await client.Images.InspectImageAsync(image, cancellationToken)).Config;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The old container's configuration as a create request; networks beyond the first are connected after creating.
    /// What it only had from its image (command, entrypoint, environment, labels, ports, health check, working directory,
    /// user, stop signal) is left out, so that the image the tag names now supplies its own: an update brings the new
    /// image's command, not the old one's.
    /// </summary>
    private static (CreateContainerParameters Create, List<(string Network, EndpointSettings Endpoint)> Later) Configuration(ContainerInspectResponse old, string name, DockerOCIImageConfig? image)
    {
        var config = WithoutImageDefaults(old.Config ?? new ContainerConfig(), image);
        var host = old.HostConfig ?? new HostConfig();
        var create = new CreateContainerParameters(config) { Name = name, HostConfig = host };

        // A hostname the engine made up (the old id) would be the old container's name inside the new one.
        if (config.Hostname is { } hostname && old.ID.StartsWith(hostname, StringComparison.Ordinal))
        {
            create.Hostname = "";
        }

        // Anonymous volumes go with the container they belong to: the new one mounts the same ones.
        var binds = new List<string>(host.Binds ?? []);
        foreach (var mount in old.Mounts ?? [])
        {
            if (mount.Type == "volume" && !binds.Any(b => b.StartsWith(mount.Name + ":", StringComparison.Ordinal))
                && !(host.Mounts ?? []).Any(m => m.Target == mount.Destination) && !binds.Any(b => b.Split(':').ElementAtOrDefault(1) == mount.Destination))
            {
                binds.Add($"{mount.Name}:{mount.Destination}{(mount.RW ? "" : ":ro")}");
            }
        }

        host.Binds = binds;
        var later = new List<(string, EndpointSettings)>();
        var networks = (old.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
            .Where(n => n.Key is not ("none" or "host") && !host.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
            .Select(n => (n.Key, Endpoint: new EndpointSettings
            {
                Aliases = (n.Value.Aliases ?? []).Where(a => !old.ID.StartsWith(a, StringComparison.Ordinal)).ToList(),
                IPAMConfig = n.Value.IPAMConfig,
                Links = n.Value.Links,
            }))
            .ToList();
        if (networks.Count > 0)
        {
            var first = networks.FirstOrDefault(n => n.Key == host.NetworkMode);
            first = first.Key is null ? networks[0] : first;
            create.NetworkingConfig = new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings> { [first.Key] = first.Endpoint } };
            later.AddRange(networks.Where(n => n.Key != first.Key).Select(n => (n.Key, n.Endpoint)));
        }

        return (create, later);
    }

    private static ContainerConfig WithoutImageDefaults(ContainerConfig config, DockerOCIImageConfig? image)
    {
        if (image is null)
        {
            return config;
        }

        static bool Same(IEnumerable<string>? a, IEnumerable<string>? b) => (a ?? []).SequenceEqual(b ?? []);
        var imageEnv = (image.Env ?? []).ToHashSet(StringComparer.Ordinal);
        var imageLabels = image.Labels ?? new Dictionary<string, string>();
        config.User = config.User == image.User ? "" : config.User;
        config.ExposedPorts = config.ExposedPorts?.Where(p => image.ExposedPorts?.ContainsKey(p.Key) != true).ToDictionary(p => p.Key, p => p.Value);
        config.Env = (config.Env ?? []).Where(e => !imageEnv.Contains(e)).ToList();
        config.Cmd = Same(config.Cmd, image.Cmd) ? null! : config.Cmd;
        config.Entrypoint = Same(config.Entrypoint, image.Entrypoint) ? null! : config.Entrypoint;
        config.Healthcheck = image.Healthcheck is not null && config.Healthcheck is not null && Same(config.Healthcheck.Test, image.Healthcheck.Test) ? null! : config.Healthcheck;
        config.Volumes = config.Volumes?.Where(v => image.Volumes?.ContainsKey(v.Key) != true).ToDictionary(v => v.Key, v => v.Value)!;
        config.WorkingDir = config.WorkingDir == image.WorkingDir ? "" : config.WorkingDir;
        config.Labels = (config.Labels ?? new Dictionary<string, string>()).Where(l => !(imageLabels.TryGetValue(l.Key, out var v) && v == l.Value)).ToDictionary(l => l.Key, l => l.Value);
        config.StopSignal = config.StopSignal == image.StopSignal ? "" : config.StopSignal;
        config.Shell = Same(config.Shell, image.Shell) ? null! : config.Shell;
        return config;
    }

    /// <summary>Undoes a recreate that failed half-way: the new container goes, the old one gets its name back and runs if it ran.</summary>
    private static async Task PutBackAsync(IDockerClient client, string oldId, string name, string? created, bool wasRunning)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            if (created is not null)
            {
                await client.Containers.RemoveContainerAsync(created, new ContainerRemoveParameters { Force = true }, timeout.Token);
            }

            await client.Containers.RenameContainerAsync(oldId, new ContainerRenameParameters { NewName = name }, timeout.Token);
            if (wasRunning)
            {
                await client.Containers.StartContainerAsync(oldId, new ContainerStartParameters(), timeout.Token);
            }
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            throw new OperationFailedException(
                $"Could not recreate {name}, and could not put the old container back ({e.Message}): it is there under another name, {oldId[..12]}.", OperationFailure.Refused);
        }
    }
}

/// <summary>The new container's id, a sentence saying what changed, and the image it runs.</summary>
public sealed record RecreateResult(string Id, string Message, string Image = "");
