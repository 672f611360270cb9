using Docker.DotNet.Models;
using DockerDash.Callers;
using DockerDash.Engines;
using DockerDash.Operations;
using DockerDash.Projects;
using static DockerDash.Operations.EngineOperations;

namespace DockerDash.Volumes;

/// <summary>A container that mounts a volume: where, and whether it may write.</summary>
public sealed record VolumeUser(string Id, string Name, string State, string Destination, bool ReadWrite);

/// <summary>A volume as the pages show it: the engine's description, its size from the disk-usage data (when the engine computed it), and who mounts it.</summary>
public sealed record VolumeInfo(
    string Engine, string Name, string Driver, string Mountpoint, string Scope, DateTimeOffset? Created,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Options, long? Size, IReadOnlyList<VolumeUser> UsedBy)
{
    public string? Project => Labels.GetValueOrDefault(ComposeLabels.Project);

    public bool InUse => UsedBy.Count > 0;

    public string Path => $"/volumes/{Uri.EscapeDataString(Engine)}/{Uri.EscapeDataString(Name)}";
}

/// <summary>What a prune of unused volumes would remove, and the space that comes back (where the engine knows sizes).</summary>
public sealed record VolumePrunePlan(IReadOnlyList<VolumeInfo> Volumes)
{
    public long Space => Volumes.Sum(v => Math.Max(0, v.Size ?? 0));
}

/// <summary>
/// Volumes of every engine the caller may see: list (with sizes and users), create, remove, prune with a dry run
/// first, and a helper container to browse a volume no container mounts. Each call one operation through the gate.
/// </summary>
public sealed class VolumeService(OperationGate gate, EngineDirectory engines, CallerContext caller)
{
    /// <summary>Every helper container DockerDash makes carries this label (its value says what for).</summary>
    public const string HelperLabel = "org.dockerdash.helper";

    private Caller Caller => caller.Current;

    /// <summary>The volumes of <paramref name="engine"/>, or of every engine the caller may list (those down are skipped and named in <c>Unreachable</c>).</summary>
    public async Task<(IReadOnlyList<VolumeInfo> Volumes, IReadOnlyList<string> Unreachable)> ListAsync(string? engine = null, CancellationToken cancellationToken = default)
    {
        var listed = await EachEngine.ListAsync(gate, engines, Caller, VolumeList, engine, name => ListOneAsync(name, cancellationToken));
        return (listed.Items.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Engine, StringComparer.Ordinal).ToList(), listed.Unreachable);
    }

    public async Task<VolumeInfo> GetAsync(string engine, string name, CancellationToken cancellationToken = default) =>
        (await ListOneAsync(engine, cancellationToken)).FirstOrDefault(v => v.Name == name)
        ?? throw new OperationFailedException($"Engine '{engine}' has no volume named '{name}'.", OperationFailure.NotFound);

    private async Task<IReadOnlyList<VolumeInfo>> ListOneAsync(string engine, CancellationToken cancellationToken)
    {
        var sizes = await SizesAsync(engine, cancellationToken);
        return await gate.RunAsync(Caller, VolumeList, engine, null, async (client, ct) =>
        {
            var listed = await client.Volumes.ListAsync(ct);
            var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct);
            var users = containers
                .SelectMany(c => (c.Mounts ?? []).Where(m => m.Type == "volume" && !string.IsNullOrEmpty(m.Name))
                    .Select(m => (Volume: m.Name, User: new VolumeUser(c.ID, (c.Names?.FirstOrDefault() ?? c.ID[..12]).TrimStart('/'), c.State, m.Destination, m.RW))))
                .ToLookup(u => u.Volume, u => u.User);
            return (IReadOnlyList<VolumeInfo>)(listed.Volumes ?? []).Select(v => new VolumeInfo(
                engine, v.Name, v.Driver, v.Mountpoint, v.Scope,
                DateTimeOffset.TryParse(v.CreatedAt, System.Globalization.CultureInfo.InvariantCulture, out var created) ? created : null,
                new Dictionary<string, string>(v.Labels ?? new Dictionary<string, string>()),
                new Dictionary<string, string>(v.Options ?? new Dictionary<string, string>()),
                sizes.TryGetValue(v.Name, out var size) && size >= 0 ? size : null,
                users[v.Name].Where(u => !u.Name.StartsWith("dockerdash-helper-", StringComparison.Ordinal)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList())).ToList();
        }, cancellationToken);
    }

    /// <summary>
    /// Each volume's size from the engine's disk-usage data (<c>GET /system/df?type=volume</c>): <c>Volumes[]</c> up to API 1.51,
    /// <c>VolumesDiskUsage.Items[]</c> after. A size of -1 (not computed) is left out.
    /// </summary>
    private Task<Dictionary<string, long>> SizesAsync(string engine, CancellationToken cancellationToken) =>
        gate.RunHttpAsync(Caller, VolumeList, engine, null, async (http, ct) =>
        {
            using var response = await http.GetAsync(new Uri("system/df?type=volume", UriKind.Relative), ct);
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            if (!response.IsSuccessStatusCode)
            {
                return sizes;
            }

            using var document = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var root = document.RootElement;
            var items = root.TryGetProperty("Volumes", out var old) && old.ValueKind == System.Text.Json.JsonValueKind.Array ? old
                : root.TryGetProperty("VolumesDiskUsage", out var usage) && usage.TryGetProperty("Items", out var list) ? list
                : default;
            if (items.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                return sizes;
            }

            foreach (var volume in items.EnumerateArray())
            {
                if (volume.TryGetProperty("Name", out var name) && volume.TryGetProperty("UsageData", out var data) && data.ValueKind == System.Text.Json.JsonValueKind.Object
                    && data.TryGetProperty("Size", out var size) && size.TryGetInt64(out var bytes) && bytes >= 0)
                {
                    sizes[name.GetString()!] = bytes;
                }
            }

            return sizes;
        }, cancellationToken);

    public Task<VolumeInfo> CreateAsync(string engine, string name, string? driver = null, IReadOnlyDictionary<string, string>? driverOptions = null, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length > 0 && (name.StartsWith('/') || Containers.Create.ContainerCreatePlan.NameProblem(name) is not null))
        {
            throw new OperationFailedException($"'{name}' is not a volume name: it starts with a letter or digit and has only letters, digits, '_', '.' and '-'.", OperationFailure.Invalid);
        }

        return gate.RunAsync(Caller, VolumeCreate, engine, name.Length > 0 ? name : "(a name the engine chooses)", async (client, ct) =>
        {
            var created = await client.Volumes.CreateAsync(new VolumesCreateParameters
            {
                Name = name,
                Driver = string.IsNullOrWhiteSpace(driver) ? "local" : driver.Trim(),
                DriverOpts = driverOptions?.ToDictionary() ?? [],
                Labels = labels?.ToDictionary() ?? [],
            }, ct);
            return new VolumeInfo(engine, created.Name, created.Driver, created.Mountpoint, created.Scope, null,
                new Dictionary<string, string>(created.Labels ?? new Dictionary<string, string>()), new Dictionary<string, string>(created.Options ?? new Dictionary<string, string>()), null, []);
        }, cancellationToken);
    }

    /// <summary>Removes a volume; one in use is refused in the engine's words (unless forced, which the engine allows only for some drivers).</summary>
    public Task RemoveAsync(string engine, string name, bool force = false, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, VolumeRemove, engine, name, (client, ct) => client.Volumes.RemoveAsync(name, force, ct), cancellationToken);

    /// <summary>What a prune would remove: the volumes no container (running or not) mounts.</summary>
    public async Task<VolumePrunePlan> PrunePlanAsync(string engine, CancellationToken cancellationToken = default)
    {
        gate.Authorize(Caller, VolumePrune, engine, "dry run");
        return new VolumePrunePlan((await ListOneAsync(engine, cancellationToken)).Where(v => !v.InUse).ToList());
    }

    /// <summary>
    /// A container, never started, that mounts the volume read-only at <c>/volume</c>, made from <paramref name="image"/> (one the engine
    /// has, chosen by an Admin): its files can then be listed and downloaded like any container's. Labelled as DockerDash's; remove it
    /// with <see cref="RemoveHelperAsync"/> when done (helpers older than an hour are removed when the next one is made).
    /// </summary>
    public Task<string> CreateHelperAsync(string engine, string volume, string image, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, VolumeBrowse, engine, volume, async (client, ct) =>
        {
            await RemoveStaleHelpersAsync(client, ct);
            var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Name = $"dockerdash-helper-{Guid.NewGuid().ToString("N")[..12]}",
                Image = image,
                Cmd = ["true"],
                Labels = new Dictionary<string, string> { [HelperLabel] = "volume-browse", ["org.dockerdash.helper.volume"] = volume },
                NetworkDisabled = true,
                HostConfig = new HostConfig { Binds = [$"{volume}:/volume:ro"], NetworkMode = "none" },
            }, ct);
            return created.ID;
        }, cancellationToken);

    public Task RemoveHelperAsync(string engine, string helper, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, VolumeBrowse, engine, helper, async (client, ct) =>
        {
            var inspect = await client.Containers.InspectContainerAsync(helper, ct);
            if (inspect.Config?.Labels?.ContainsKey(HelperLabel) != true)
            {
                throw new OperationFailedException("That container is not a DockerDash helper.", OperationFailure.Invalid);
            }

            await client.Containers.RemoveContainerAsync(helper, new ContainerRemoveParameters { Force = true }, ct);
        }, cancellationToken);

    private static async Task RemoveStaleHelpersAsync(Docker.DotNet.IDockerClient client, CancellationToken cancellationToken)
    {
        var helpers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [HelperLabel] = true } },
        }, cancellationToken);
        foreach (var stale in helpers.Where(h => h.Created < DateTime.UtcNow.AddHours(-1)))
        {
            await client.Containers.RemoveContainerAsync(stale.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
        }
    }
}
