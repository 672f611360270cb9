using Docker.DotNet.Models;
using DockerDash.Callers;
using DockerDash.Engines;
using DockerDash.Operations;
using DockerDash.Projects;
using static DockerDash.Operations.EngineOperations;

namespace DockerDash.Networks;

/// <summary>A container on a network: its addresses and aliases there.</summary>
public sealed record NetworkMember(string Id, string Name, string State, string? IPv4, string? IPv6, IReadOnlyList<string> Aliases);

/// <summary>One subnet of a network, with its gateway.</summary>
public sealed record NetworkSubnet(string Subnet, string? Gateway);

/// <summary>A network as the pages show it, with the containers attached (from the container list, one call per engine).</summary>
public sealed record NetworkInfo(
    string Engine, string Id, string Name, string Driver, string Scope, bool Internal, DateTimeOffset Created,
    IReadOnlyList<NetworkSubnet> Subnets, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<NetworkMember> Members)
{
    /// <summary>The engine's own networks, which cannot be removed.</summary>
    public bool IsBuiltIn => Name is "bridge" or "host" or "none" || Driver == "null";

    public string? Project => Labels.GetValueOrDefault(ComposeLabels.Project);

    public string Path => $"/networks/{Uri.EscapeDataString(Engine)}/{Uri.EscapeDataString(Name)}";
}

/// <summary>
/// Networks of every engine the caller may see: list (with attached containers and their addresses), create, remove,
/// prune after a dry run, connect and disconnect containers. Each call one operation through the gate.
/// </summary>
public sealed class NetworkService(OperationGate gate, EngineDirectory engines, CallerContext caller)
{
    private Caller Caller => caller.Current;

    public async Task<(IReadOnlyList<NetworkInfo> Networks, IReadOnlyList<string> Unreachable)> ListAsync(string? engine = null, CancellationToken cancellationToken = default)
    {
        var listed = await EachEngine.ListAsync(gate, engines, Caller, NetworkList, engine, name => ListOneAsync(name, cancellationToken));
        return (listed.Items.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Engine, StringComparer.Ordinal).ToList(), listed.Unreachable);
    }

    /// <summary>One network, its members with their aliases too (which only inspecting each container tells).</summary>
    public async Task<NetworkInfo> GetAsync(string engine, string nameOrId, CancellationToken cancellationToken = default)
    {
        var network = (await ListOneAsync(engine, cancellationToken)).FirstOrDefault(n => n.Name == nameOrId || n.Id == nameOrId)
            ?? throw new OperationFailedException($"Engine '{engine}' has no network named '{nameOrId}'.", OperationFailure.NotFound);
        var members = await gate.RunAsync(Caller, NetworkList, engine, network.Name, async (client, ct) =>
        {
            var withAliases = new List<NetworkMember>();
            foreach (var member in network.Members)
            {
                var inspect = await client.Containers.InspectContainerAsync(member.Id, ct);
                EndpointSettings? endpoint = null;
                _ = inspect.NetworkSettings?.Networks?.TryGetValue(network.Name, out endpoint);
                withAliases.Add(member with { Aliases = (endpoint?.Aliases ?? []).Where(a => !member.Id.StartsWith(a, StringComparison.Ordinal)).ToList() });
            }

            return withAliases;
        }, cancellationToken);
        return network with { Members = members };
    }

    private Task<IReadOnlyList<NetworkInfo>> ListOneAsync(string engine, CancellationToken cancellationToken) =>
        gate.RunAsync(Caller, NetworkList, engine, null, async (client, ct) =>
        {
            var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters(), ct);
            var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct);
            var members = containers
                .SelectMany(c => (c.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
                    .Select(n => (NetworkId: n.Value.NetworkID, Member: new NetworkMember(c.ID, (c.Names?.FirstOrDefault() ?? c.ID[..12]).TrimStart('/'), c.State,
                        string.IsNullOrEmpty(n.Value.IPAddress) ? null : n.Value.IPAddress, string.IsNullOrEmpty(n.Value.GlobalIPv6Address) ? null : n.Value.GlobalIPv6Address,
                        (n.Value.Aliases ?? []).Where(a => !c.ID.StartsWith(a, StringComparison.Ordinal)).ToList()))))
                .ToLookup(m => m.NetworkId ?? "", m => m.Member);
            return (IReadOnlyList<NetworkInfo>)networks.Select(n => new NetworkInfo(
                engine, n.ID, n.Name, n.Driver, n.Scope, n.Internal, new DateTimeOffset(DateTime.SpecifyKind(n.Created, DateTimeKind.Utc)),
                (n.IPAM?.Config ?? []).Where(c => !string.IsNullOrEmpty(c.Subnet)).Select(c => new NetworkSubnet(c.Subnet, string.IsNullOrEmpty(c.Gateway) ? null : c.Gateway)).ToList(),
                new Dictionary<string, string>(n.Labels ?? new Dictionary<string, string>()),
                members[n.ID].OrderBy(m => m.Name, StringComparer.Ordinal).ToList())).ToList();
        }, cancellationToken);

    /// <summary>Creates a network; <paramref name="subnet"/> (CIDR, optional) with its <paramref name="gateway"/> (optional).</summary>
    public Task<string> CreateAsync(string engine, string name, string? driver = null, bool @internal = false, string? subnet = null, string? gateway = null,
        IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (Containers.Create.ContainerCreatePlan.NameProblem(name) is not null || name.StartsWith('/'))
        {
            throw new OperationFailedException($"'{name}' is not a network name: it starts with a letter or digit and has only letters, digits, '_', '.' and '-'.", OperationFailure.Invalid);
        }

        if (!string.IsNullOrWhiteSpace(subnet) && !System.Net.IPNetwork.TryParse(subnet.Trim(), out _))
        {
            throw new OperationFailedException($"'{subnet}' is not a subnet: write it as 172.30.0.0/24.", OperationFailure.Invalid);
        }

        if (!string.IsNullOrWhiteSpace(gateway) && !System.Net.IPAddress.TryParse(gateway.Trim(), out _))
        {
            throw new OperationFailedException($"'{gateway}' is not an IP address.", OperationFailure.Invalid);
        }

        return gate.RunAsync(Caller, NetworkCreate, engine, name, async (client, ct) =>
            (await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = name,
                Driver = string.IsNullOrWhiteSpace(driver) ? "bridge" : driver.Trim(),
                Internal = @internal,
                Labels = labels?.ToDictionary() ?? [],
                IPAM = string.IsNullOrWhiteSpace(subnet) ? null : new IPAM
                {
                    Config = [new IPAMConfig { Subnet = subnet.Trim(), Gateway = string.IsNullOrWhiteSpace(gateway) ? "" : gateway.Trim() }],
                },
            }, ct)).ID, cancellationToken);
    }

    public Task RemoveAsync(string engine, string network, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, NetworkRemove, engine, network, (client, ct) => client.Networks.DeleteNetworkAsync(network, ct), cancellationToken);

    /// <summary>What a prune would remove: networks of one's own (not bridge, host, none) with no container attached.</summary>
    public async Task<IReadOnlyList<NetworkInfo>> PrunePlanAsync(string engine, CancellationToken cancellationToken = default)
    {
        gate.Authorize(Caller, NetworkPrune, engine, "dry run");
        return (await ListOneAsync(engine, cancellationToken)).Where(n => !n.IsBuiltIn && n.Members.Count == 0).ToList();
    }

    /// <summary>Connects a container (id or name), with aliases on that network if given.</summary>
    public Task ConnectAsync(string engine, string network, string container, IReadOnlyList<string>? aliases = null, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, NetworkConnect, engine, $"{container} to {network}", (client, ct) =>
            client.Networks.ConnectNetworkAsync(network, new NetworkConnectParameters
            {
                Container = container,
                EndpointConfig = new EndpointSettings { Aliases = [.. (aliases ?? []).Where(a => a.Length > 0)] },
            }, ct), cancellationToken);

    public Task DisconnectAsync(string engine, string network, string container, bool force = false, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, NetworkConnect, engine, $"{container} from {network}", (client, ct) =>
            client.Networks.DisconnectNetworkAsync(network, new NetworkDisconnectParameters { Container = container, Force = force }, ct), cancellationToken);
}
