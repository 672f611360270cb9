using DockerDash.Networks;
using DockerDash.Operations;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>Networks against the rig's engine (internal bridges only: nothing routes anywhere): created, joined with an alias, refused while in use, left, pruned after a dry run.</summary>
public class NetworkTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task An_internal_network_is_created_joined_with_an_alias_refused_while_in_use_left_and_pruned()
    {
        var networks = fixture.App.As<NetworkService>();
        var name = TestRig.UniqueName("net");
        var id = await networks.CreateAsync("rig", name, @internal: true, subnet: "172.31.250.0/24", gateway: "172.31.250.1", labels: new Dictionary<string, string> { ["team"] = "blue" });
        await using var sleeper = await fixture.Engine.SleeperAsync("net-member");
        var container = sleeper.Id;
        try
        {
            var created = await networks.GetAsync("rig", name);
            Assert.True(created.Internal);
            Assert.Equal(new NetworkSubnet("172.31.250.0/24", "172.31.250.1"), Assert.Single(created.Subnets));
            Assert.Equal("blue", created.Labels["team"]);
            Assert.Empty(created.Members);

            // Tests' containers start on "none", which admits no other network: leave it first.
            await networks.DisconnectAsync("rig", "none", container);
            await networks.ConnectAsync("rig", name, container, ["api"]);
            var joined = Assert.Single((await networks.GetAsync("rig", name)).Members);
            Assert.Equal(container, joined.Id);
            Assert.StartsWith("172.31.250.", joined.IPv4, StringComparison.Ordinal);
            Assert.Contains("api", joined.Aliases);
            Assert.DoesNotContain((await networks.PrunePlanAsync("rig")), n => n.Name == name);
            var refused = await Assert.ThrowsAsync<OperationFailedException>(() => networks.RemoveAsync("rig", name));
            Assert.Contains("active endpoints", refused.Message, StringComparison.Ordinal);

            await networks.DisconnectAsync("rig", name, container);
            Assert.Empty((await networks.GetAsync("rig", name)).Members);
            var plan = await networks.PrunePlanAsync("rig");
            Assert.Contains(plan, n => n.Name == name);
            Assert.DoesNotContain(plan, n => n.IsBuiltIn);
            var outcome = await fixture.App.As<DockerDash.Engines.Info.EngineService>().PruneAsync("rig", [.. plan.Where(n => n.Name == name).Select(n => new DockerDash.Engines.Info.PruneItem("networks", n.Id, n.Name, 0))]);
            Assert.Equal([name], outcome.Removed);
            await Assert.ThrowsAsync<OperationFailedException>(() => networks.GetAsync("rig", name));
        }
        finally
        {
            try
            {
                await fixture.Engine.Client.Networks.DeleteNetworkAsync(id);
            }
            catch (Docker.DotNet.DockerApiException)
            {
                // Pruned by the test.
            }
        }
    }

    [Fact]
    public async Task A_bad_subnet_or_name_is_refused_before_the_engine_is_asked()
    {
        var networks = fixture.App.As<NetworkService>();
        Assert.Contains("is not a subnet", (await Assert.ThrowsAsync<OperationFailedException>(() => networks.CreateAsync("rig", "fine", subnet: "172.31.0.0/99"))).Message, StringComparison.Ordinal);
        Assert.Contains("is not a network name", (await Assert.ThrowsAsync<OperationFailedException>(() => networks.CreateAsync("rig", "-bad name"))).Message, StringComparison.Ordinal);
    }
}
