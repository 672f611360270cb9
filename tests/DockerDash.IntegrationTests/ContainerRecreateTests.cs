using Docker.DotNet.Models;
using DockerDash.Containers;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests;

/// <summary>Recreate and duplicate of one container against the rig's engine.</summary>
public class ContainerRecreateTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task One_container_is_recreated_through_the_hub_and_a_pull_that_fails_leaves_it_untouched()
    {
        // An image only this engine has under a registry name the rig's registry does not know: the pull fails, on loopback.
        var repository = $"{TestRig.Registry}/dockerdash/recreate-{TestRig.RunId}";
        var reference = repository + ":1";
        await fixture.Engine.Client.Images.TagImageAsync(TestRig.Image, new ImageTagParameters { RepositoryName = repository, Tag = "1" });
        var created = await fixture.Engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = TestRig.UniqueName("recreate"),
            Image = reference,
            Cmd = RigEngine.SleeperCommand,
            Env = ["MODE=blue"],
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId, ["role"] = "api" },
            HostConfig = new HostConfig { NetworkMode = "none", RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped } },
        });
        fixture.Engine.Track(created.ID);
        await fixture.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        var before = await fixture.Engine.InspectAsync(created.ID);
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DockerDash.Security.DashboardRole.Admin));
        await hub.StartAsync();

        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<System.Text.Json.JsonElement>("RecreateContainer", new { engine = "rig", id = created.ID }, true));
        Assert.Contains("so the container was not touched", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before.State?.StartedAt, (await fixture.Engine.InspectAsync(created.ID)).State?.StartedAt);

        var result = await hub.InvokeAsync<System.Text.Json.JsonElement>("RecreateContainer", new { engine = "rig", id = created.ID }, false);
        var id = result.GetProperty("id").GetString()!;
        fixture.Engine.Track(id);
        Assert.Contains("same image", result.GetProperty("message").GetString(), StringComparison.Ordinal);
        var after = await fixture.Engine.InspectAsync(id);
        Assert.NotEqual(created.ID, id);
        Assert.Equal(before.Name, after.Name);
        Assert.True(after.State?.Running);
        Assert.Contains("MODE=blue", after.Config?.Env ?? []);
        Assert.Equal("api", after.Config?.Labels?["role"]);
        Assert.Equal(RestartPolicyKind.UnlessStopped, after.HostConfig?.RestartPolicy?.Name);
        await Assert.ThrowsAsync<Docker.DotNet.DockerContainerNotFoundException>(() => fixture.Engine.InspectAsync(created.ID));
        await fixture.Engine.RemoveAsync(id);
        await fixture.Engine.Client.Images.DeleteImageAsync(reference, new ImageDeleteParameters());
    }

    [Fact]
    public async Task Duplicate_fills_the_form_from_a_container_and_the_copy_keeps_what_the_form_has_no_field_for()
    {
        var volume = TestRig.UniqueName("dup-data");
        var created = await fixture.Engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = TestRig.UniqueName("dup-source"),
            Image = TestRig.Image,
            Cmd = RigEngine.SleeperCommand,
            Env = ["MODE=blue", "DB_PASSWORD=hunter2"],
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
            Healthcheck = new HealthcheckConfig { Test = ["CMD", "true"], Interval = TimeSpan.FromSeconds(30) },
            HostConfig = new HostConfig { NetworkMode = "none", RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.OnFailure, MaximumRetryCount = 3 }, Binds = [$"{volume}:/data:ro"], CapAdd = ["SYS_TIME"] },
        });
        fixture.Engine.Track(created.ID);
        var containers = fixture.App.As<ContainerService>();

        var source = await containers.DuplicateSourceAsync(new("rig", created.ID));
        var form = DockerDash.Containers.Create.ContainerDuplicate.FormOf("rig", source);
        Assert.Equal($"{source.Name.TrimStart('/')}-copy", form.Name);
        Assert.Equal("on-failure:3", form.RestartPolicy);
        Assert.Equal($"{volume}:/data:ro", form.Mounts);
        Assert.Contains("DB_PASSWORD=hunter2", form.Environment, StringComparison.Ordinal);
        form.Environment = form.Environment.Replace("MODE=blue", "MODE=green", StringComparison.Ordinal);
        var plan = DockerDash.Containers.Create.ContainerCreatePlan.From(form);
        Assert.True(plan.IsValid, string.Join(" ", plan.Errors.Values));

        var copy = await containers.CreateCopyAsync(plan, source);
        fixture.Engine.Track(copy.Id);
        var inspected = await fixture.Engine.InspectAsync(copy.Id);
        Assert.Equal(form.Name, inspected.Name.TrimStart('/'));
        Assert.Contains("MODE=green", inspected.Config?.Env ?? []);
        Assert.Equal(["CMD", "true"], inspected.Config?.Healthcheck?.Test);
        Assert.Contains("SYS_TIME", inspected.HostConfig?.CapAdd ?? []);
        Assert.Equal(3, inspected.HostConfig?.RestartPolicy?.MaximumRetryCount);
        Assert.Contains(inspected.Mounts ?? [], m => m.Name == volume && m.Destination == "/data" && !m.RW);
        Assert.Contains(await fixture.App.AuditAsync(), e => e.Operation == "container.secrets" && e.Target == created.ID);

        await fixture.Engine.RemoveAsync(copy.Id);
        await fixture.Engine.RemoveAsync(created.ID);
        await fixture.Engine.Client.Volumes.RemoveAsync(volume, false);
    }
}
