using System.Text.Json;
using DockerDash.Callers;
using DockerDash.Networks;
using DockerDash.Operations;
using DockerDash.Volumes;
using static DockerDash.Operations.EngineOperations;

namespace DockerDash.Engines.Info;

/// <summary>One thing a prune would remove: its kind, id, what a person calls it, and its size where known.</summary>
public sealed record PruneItem(string Kind, string Id, string Name, long Size);

/// <summary>How a prune went: what was removed, what the engine refused (and why), and the space that came back.</summary>
public sealed record PruneOutcome(IReadOnlyList<string> Removed, IReadOnlyList<string> Refused, long Space);

/// <summary>
/// An engine as a whole: what it says about itself, its disk usage, and prunes per kind that list what they would remove
/// first and then remove exactly that, one by one (stopped containers, dangling images, unused volumes and networks, unused build cache).
/// </summary>
public sealed class EngineService(OperationGate gate, EngineDirectory engines, CallerContext caller, VolumeService volumes, NetworkService networks)
{
    public static readonly IReadOnlyList<string> PruneKinds = ["containers", "images", "volumes", "networks", "buildCache"];

    private Caller Caller => caller.Current;

    public async Task<EngineFacts> FactsAsync(string engine, CancellationToken cancellationToken = default)
    {
        var info = await JsonAsync(engine, "info", cancellationToken);
        var connection = engines.Find(engine)!;
        return EngineFacts.Parse(engine, connection.Endpoint.Transport, connection.State.Product, connection.State.ApiVersion, info.RootElement);
    }

    /// <summary>How DockerDash reaches <paramref name="engine"/> (the security notes judge by it); null for an engine not configured.</summary>
    public EngineTransport? TransportOf(string engine) => engines.Find(engine)?.Endpoint.Transport;

    public async Task<DiskUsage> DiskUsageAsync(string engine, CancellationToken cancellationToken = default) =>
        DiskUsage.Parse((await JsonAsync(engine, "system/df", cancellationToken)).RootElement);

    private Task<JsonDocument> JsonAsync(string engine, string path, CancellationToken cancellationToken) =>
        gate.RunHttpAsync(Caller, EngineInfo, engine, path, async (http, ct) =>
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode ? JsonDocument.Parse(body) : throw new Docker.DotNet.DockerApiException(response.StatusCode, body);
        }, cancellationToken);

    /// <summary>What a prune of <paramref name="kinds"/> would remove now (each kind's operation is checked first).</summary>
    public async Task<IReadOnlyList<PruneItem>> PrunePlanAsync(string engine, IReadOnlyCollection<string> kinds, CancellationToken cancellationToken = default)
    {
        if (kinds.FirstOrDefault(k => !PruneKinds.Contains(k)) is { } unknown)
        {
            throw new OperationFailedException($"'{unknown}' is not a kind to prune: {string.Join(", ", PruneKinds)}.", OperationFailure.Invalid);
        }

        var items = new List<PruneItem>();
        if (kinds.Contains("volumes"))
        {
            items.AddRange((await volumes.PrunePlanAsync(engine, cancellationToken)).Volumes.Select(v => new PruneItem("volumes", v.Name, v.Name, Math.Max(0, v.Size ?? 0))));
        }

        if (kinds.Contains("networks"))
        {
            items.AddRange((await networks.PrunePlanAsync(engine, cancellationToken)).Select(n => new PruneItem("networks", n.Id, n.Name, 0)));
        }

        var own = kinds.Where(k => k is "containers" or "images" or "buildCache").ToList();
        if (own.Count > 0)
        {
            foreach (var kind in own)
            {
                gate.Authorize(Caller, OperationOf(kind), engine, "dry run");
            }

            using var df = await JsonAsync(engine, "system/df", cancellationToken);
            items.AddRange(own.SelectMany(kind => ItemsOf(kind, df.RootElement)));
        }

        return items;
    }

    private static Operation OperationOf(string kind) => kind switch
    {
        "containers" => ContainerPrune,
        "images" => ImagePrune,
        "volumes" => VolumePrune,
        "networks" => NetworkPrune,
        _ => BuildCachePrune,
    };

    private static IEnumerable<PruneItem> ItemsOf(string kind, JsonElement df) => kind switch
    {
        "containers" => df.Items("Containers").Where(c => c.Text("State") is not ("running" or "paused" or "restarting"))
            .Select(c => new PruneItem(kind, c.Text("Id") ?? "", (c.Items("Names").Select(n => n.GetString()).FirstOrDefault() ?? c.Text("Id") ?? "").TrimStart('/'), c.Long("SizeRw"))),
        "images" => df.Items("Images").Where(i => i.Long("Containers") == 0 && i.Items("RepoTags").All(t => t.GetString() == "<none>:<none>"))
            .Select(i => new PruneItem(kind, i.Text("Id") ?? "", ShortId(i.Text("Id")), i.Long("Size"))),
        _ => df.Items("BuildCache").Where(c => !c.Flag("InUse"))
            .Select(c => new PruneItem(kind, c.Text("ID") ?? "", c.Text("Description") ?? c.Text("ID") ?? "", c.Long("Size"))),
    };

    /// <summary>Removes exactly what the plan listed, one by one (build cache in one call, as the engine only prunes it whole); a refusal is reported, not fatal.</summary>
    public async Task<PruneOutcome> PruneAsync(string engine, IReadOnlyList<PruneItem> plan, CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        var refused = new List<string>();
        long space = 0;
        foreach (var item in plan.Where(i => i.Kind != "buildCache"))
        {
            try
            {
                await gate.RunAsync(Caller, OperationOf(item.Kind), engine, $"{item.Kind} {item.Name}", (client, ct) => item.Kind switch
                {
                    "containers" => client.Containers.RemoveContainerAsync(item.Id, new Docker.DotNet.Models.ContainerRemoveParameters(), ct),
                    "images" => client.Images.DeleteImageAsync(item.Id, new Docker.DotNet.Models.ImageDeleteParameters(), ct),
                    "volumes" => client.Volumes.RemoveAsync(item.Id, false, ct),
                    _ => client.Networks.DeleteNetworkAsync(item.Id, ct),
                }, cancellationToken);
                removed.Add(item.Name);
                space += item.Size;
            }
            catch (OperationFailedException e) when (e is not OperationDeniedException)
            {
                refused.Add($"{item.Name} ({e.Message})");
            }
        }

        if (plan.Any(i => i.Kind == "buildCache"))
        {
            space += await gate.RunHttpAsync(Caller, BuildCachePrune, engine, "build cache", async (http, ct) =>
            {
                using var response = await http.PostAsync(new Uri("build/prune", UriKind.Relative), null, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw new Docker.DotNet.DockerApiException(response.StatusCode, body);
                }

                using var result = JsonDocument.Parse(body);
                return result.RootElement.Long("SpaceReclaimed");
            }, cancellationToken);
            removed.Add("unused build cache");
        }

        return new PruneOutcome(removed, refused, space);
    }

    private static string ShortId(string? id) => id is null ? "" : id.Replace("sha256:", "", StringComparison.Ordinal) is { Length: > 12 } s ? s[..12] : id;
}
