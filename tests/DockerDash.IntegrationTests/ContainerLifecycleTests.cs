using DockerDash.Containers;
using DockerDash.Containers.Create;
using DockerDash.Operations;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>Container actions through the app's service (and so its gate), checked in the real engine.</summary>
public class ContainerLifecycleTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private ContainerStore Store => fixture.Store;

    [Fact]
    public async Task A_container_started_outside_the_app_appears_in_the_store_by_itself()
    {
        var id = await fixture.Engine.RunSleeperAsync("appears");

        // How soon is the benchmark's to say (an event to its row); here only that it comes, with nobody asking.
        var seen = await Store.WaitForAsync(c => c.Id == id && c.State == "running", TimeSpan.FromSeconds(15), "the new container running");

        Assert.Equal(("rig", TestRig.Image), (seen.Engine, seen.Image));
        Assert.Equal(TestRig.RunId, seen.Labels[TestRig.RunLabel]);
    }

    [Fact]
    public async Task Stop_through_the_app_stops_the_container_in_the_engine_and_the_store_follows()
    {
        var id = await fixture.Engine.RunSleeperAsync("stop");
        var key = new ContainerKey("rig", id);

        await fixture.Containers().StopAsync(key, timeoutSeconds: 5);

        var inspected = await fixture.Engine.InspectAsync(id);
        Assert.False(inspected.State!.Running);
        Assert.Equal(0, inspected.State!.ExitCode);
        await Store.WaitForAsync(c => c.Id == id && c.State == "exited", Soon, "the container exited");
    }

    [Theory]
    [InlineData("SIGTERM", 0)]
    [InlineData("SIGKILL", 137)]
    public async Task Kill_sends_the_chosen_signal(string signal, long exitCode)
    {
        var id = await fixture.Engine.RunSleeperAsync("kill");

        await fixture.Containers().KillAsync(new ContainerKey("rig", id), signal);

        var inspected = await Eventually.GetAsync(() => fixture.Engine.InspectAsync(id), c => !c.State!.Running, Soon, "the container to exit");
        Assert.Equal(exitCode, inspected.State!.ExitCode);
    }

    [Fact]
    public async Task Pause_and_unpause_are_visible_in_the_engine()
    {
        var id = await fixture.Engine.RunSleeperAsync("pause");
        var key = new ContainerKey("rig", id);
        var containers = fixture.Containers();

        await containers.PauseAsync(key);
        Assert.True((await fixture.Engine.InspectAsync(id)).State!.Paused);
        await Store.WaitForAsync(c => c.Id == id && c.State == "paused", Soon, "the container paused");

        await containers.UnpauseAsync(key);
        Assert.False((await fixture.Engine.InspectAsync(id)).State!.Paused);
    }

    [Fact]
    public async Task The_store_follows_quick_pause_unpause_cycles_without_keeping_a_stale_state()
    {
        // The engine announces some changes before its list reflects them: the store must still end right.
        var id = await fixture.Engine.RunSleeperAsync("cycle");
        var key = new ContainerKey("rig", id);
        var containers = fixture.Containers();

        for (var i = 0; i < 10; i++)
        {
            await containers.PauseAsync(key);
            await Store.WaitForAsync(c => c.Id == id && c.State == "paused", Soon, $"pause {i + 1}");
            await containers.UnpauseAsync(key);
            await Store.WaitForAsync(c => c.Id == id && c.State == "running", Soon, $"unpause {i + 1}");
        }
    }

    [Fact]
    public async Task Rename_is_visible_in_the_engine_and_the_store()
    {
        var id = await fixture.Engine.RunSleeperAsync("rename");
        var newName = TestRig.UniqueName("renamed");

        await fixture.Containers().RenameAsync(new ContainerKey("rig", id), newName);

        Assert.Equal("/" + newName, (await fixture.Engine.InspectAsync(id)).Name);
        await Store.WaitForAsync(c => c.Id == id && c.Name == newName, Soon, "the new name");
    }

    [Fact]
    public async Task Remove_deletes_the_container_from_the_engine_and_the_store()
    {
        var id = await fixture.Engine.RunSleeperAsync("remove");
        await Store.WaitForAsync(c => c.Id == id, Soon, "the container");

        await fixture.Containers().RemoveAsync(new ContainerKey("rig", id), force: true, removeVolumes: true);

        await Assert.ThrowsAsync<Docker.DotNet.DockerContainerNotFoundException>(() => fixture.Engine.InspectAsync(id));
        await Store.WaitUntilGoneAsync("rig", id, Soon);
    }

    [Fact]
    public async Task An_engine_refusal_comes_back_in_the_engines_words()
    {
        var id = await fixture.Engine.RunAsync("not-running", ["true"], start: false);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => fixture.Containers().PauseAsync(new ContainerKey("rig", id)));

        Assert.Equal(OperationFailure.Refused, error.Failure);
        Assert.Contains("is not running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_container_id_gives_a_clear_not_found()
    {
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => fixture.Containers().InspectAsync(new ContainerKey("rig", "0123456789ab-no-such")));

        Assert.Equal(OperationFailure.NotFound, error.Failure);
        Assert.Contains("No such container", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_from_the_form_runs_the_container_the_docker_run_command_describes()
    {
        var name = TestRig.UniqueName("created");
        var plan = ContainerCreatePlan.From(new ContainerCreateForm
        {
            Engine = "rig",
            Image = TestRig.Image,
            Name = name,
            Command = "sh -c 'echo $GREETING; sleep 30'",
            Environment = "GREETING=hello",
            Labels = $"{TestRig.RunLabel}={TestRig.RunId}",
            NetworkMode = "none",
            Memory = "64m",
            WorkingDir = "/tmp",
        });

        var key = await fixture.Containers().CreateAsync(plan);
        fixture.Engine.Track(key.Id);

        var inspected = await fixture.Engine.InspectAsync(key.Id);
        Assert.True(inspected.State!.Running);
        Assert.Equal(("/" + name, "/tmp", 64L * 1024 * 1024), (inspected.Name, inspected.Config!.WorkingDir, inspected.HostConfig!.Memory));
        Assert.Contains("GREETING=hello", inspected.Config!.Env);
        Assert.StartsWith($"docker run -d --name {name} -e GREETING=hello", plan.DockerRunCommand, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_lists_the_processes_of_a_running_container()
    {
        var id = await fixture.Engine.RunSleeperAsync("top");

        var processes = await fixture.Containers().TopAsync(new ContainerKey("rig", id));

        Assert.Contains("PID", processes.Titles);
        Assert.Contains(processes.Rows, row => row.Any(cell => cell.Contains("while true", StringComparison.Ordinal) || cell.Contains("sh -c", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Inspect_shows_the_overview_and_the_engines_own_document()
    {
        var id = await fixture.Engine.RunAsync("inspect", ["sh", "-c", "exit 3"]);
        await Eventually.GetAsync(() => fixture.Engine.InspectAsync(id), c => !c.State!.Running, Soon, "the container to exit");

        var details = await fixture.Containers().InspectAsync(new ContainerKey("rig", id));
        var document = await fixture.Containers().InspectDocumentAsync(new ContainerKey("rig", id), revealSecrets: true);

        Assert.Equal(("exited", 3L), (details.State, details.ExitCode));
        Assert.Contains(details.Networks, n => n.Name == "none");

        // The document is the engine's, token for token: what `docker inspect` prints, not a re-serialised model.
        var raw = await fixture.Engine.Http.GetStringAsync(new Uri($"containers/{id}/json", UriKind.Relative));
        using var engines = System.Text.Json.JsonDocument.Parse(raw);
        using var ours = System.Text.Json.JsonDocument.Parse(document);
        var policy = ours.RootElement.GetProperty("HostConfig").GetProperty("RestartPolicy").GetProperty("Name");
        Assert.Equal(System.Text.Json.JsonValueKind.String, policy.ValueKind);
        Assert.Equal(engines.RootElement.GetProperty("HostConfig").GetProperty("RestartPolicy").GetProperty("Name").GetString(), policy.GetString());
        Assert.Equal(engines.RootElement.GetProperty("Created").GetString(), ours.RootElement.GetProperty("Created").GetString());
        Assert.Equal(3, ours.RootElement.GetProperty("State").GetProperty("ExitCode").GetInt32());
        Assert.Equal(
            engines.RootElement.EnumerateObject().Select(p => p.Name),
            ours.RootElement.EnumerateObject().Select(p => p.Name));
    }
}
