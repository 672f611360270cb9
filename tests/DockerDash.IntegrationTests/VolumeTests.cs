using DockerDash.Testing;
using DockerDash.Volumes;

namespace DockerDash.IntegrationTests;

/// <summary>Volumes against the rig's engine: listed with their users, created and removed, an in-use one refused, pruned after a dry run, browsed through a helper.</summary>
public class VolumeTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_volume_is_created_used_refused_while_in_use_browsed_and_pruned_after_a_dry_run()
    {
        var volumes = fixture.App.As<VolumeService>();
        var used = await volumes.CreateAsync("rig", TestRig.UniqueName("vol-used"), labels: new Dictionary<string, string> { ["team"] = "blue" });
        var spare = await volumes.CreateAsync("rig", TestRig.UniqueName("vol-spare"));
        var user = await fixture.Engine.Client.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = TestRig.UniqueName("vol-user"),
            Image = TestRig.Image,
            Cmd = ["sh", "-c", "echo hello > /data/greeting.txt; trap 'exit 0' TERM; sleep 2147483647 & wait"],
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
            HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = "none", Binds = [$"{used.Name}:/data"] },
        });
        fixture.Engine.Track(user.ID);
        await fixture.Engine.Client.Containers.StartContainerAsync(user.ID, new Docker.DotNet.Models.ContainerStartParameters());
        try
        {
            var listed = await volumes.GetAsync("rig", used.Name);
            Assert.Equal("blue", listed.Labels["team"]);
            Assert.Equal("/data", Assert.Single(listed.UsedBy).Destination);
            Assert.Empty((await volumes.GetAsync("rig", spare.Name)).UsedBy);

            var refused = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() => volumes.RemoveAsync("rig", used.Name));
            Assert.Contains("in use", refused.Message, StringComparison.Ordinal);

            // The file written through the container is read through a helper that mounts the volume read-only.
            var content = await Eventually.GetAsync(async () =>
            {
                var helper = await volumes.CreateHelperAsync("rig", used.Name, TestRig.Image);
                try
                {
                    return (await fixture.App.As<DockerDash.Files.ContainerFiles>().ListAsync("rig", helper, "/volume")).Entries.Select(e => e.Name).ToList();
                }
                finally
                {
                    await volumes.RemoveHelperAsync("rig", helper);
                }
            }, names => names.Contains("greeting.txt"), TimeSpan.FromSeconds(20), "the file in the volume");
            Assert.Contains("greeting.txt", content);

            var plan = await volumes.PrunePlanAsync("rig");
            Assert.Contains(plan.Volumes, v => v.Name == spare.Name);
            Assert.DoesNotContain(plan.Volumes, v => v.Name == used.Name);
            var outcome = await fixture.App.As<DockerDash.Engines.Info.EngineService>().PruneAsync("rig", [new("volumes", spare.Name, spare.Name, 0)]);
            Assert.Equal([spare.Name], outcome.Removed);
            await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() => volumes.GetAsync("rig", spare.Name));
        }
        finally
        {
            await fixture.Engine.RemoveAsync(user.ID);
            await volumes.RemoveAsync("rig", used.Name);
        }
    }
}
