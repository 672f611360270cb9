using System.Diagnostics;
using Docker.DotNet.Models;
using DockerDash.Containers;
using DockerDash.Projects;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests;

/// <summary>Compose projects against the rig's engine: one deployed by Debian's docker-compose, and one labelled as Compose v2 labels it (with depends_on).</summary>
public class ProjectTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_project_deployed_by_docker_compose_is_shown_acted_on_as_a_whole_and_down_removes_exactly_its_containers()
    {
        var name = $"dd{TestRig.RunId}";
        var folder = Directory.CreateTempSubdirectory("dockerdash-compose-").FullName;
        var outsider = await fixture.Engine.RunSleeperAsync("outsider");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "docker-compose.yml"), ComposeFile());
            await ComposeAsync(folder, name, "up", "-d");
            var project = await ProjectAsync(name, p => p.Total == 2 && p.Running == 2);
            foreach (var container in project.Containers)
            {
                fixture.Engine.Track(container.Id);
            }

            Assert.Equal(["db", "web"], project.Services.Select(s => s.Name));
            Assert.Equal(folder, project.WorkingDir);
            Assert.Equal(["docker-compose.yml"], project.ConfigFiles);

            await using (var reading = await DashboardApp.StartAsync("--DockerDash:Projects:ReadComposeFiles=true"))
            {
                var (files, _) = await reading.As<ProjectService>().ComposeFilesAsync(project);
                Assert.Contains("depends_on: [db]", Assert.Single(files).Text, StringComparison.Ordinal);
                var (none, reason) = await reading.As<ProjectService>(TestCallers.With(DockerDash.Security.DashboardRole.Operator)).ComposeFilesAsync(project);
                Assert.Empty(none);
                Assert.Contains("only a caller who may see them (Admin)", reason, StringComparison.Ordinal);
            }

            var (offFiles, offReason) = await fixture.App.As<ProjectService>().ComposeFilesAsync(project);
            Assert.Empty(offFiles);
            Assert.Contains("DockerDash:Projects:ReadComposeFiles", offReason, StringComparison.Ordinal);

            await RunAsync(project, ProjectAction.Stop);
            await ProjectAsync(name, p => p.Running == 0);
            await RunAsync(project, ProjectAction.Start);
            await ProjectAsync(name, p => p.Running == 2);

            var plan = await fixture.App.As<ProjectService>().DownPlanAsync("rig", name);
            Assert.Equal(project.Containers.Select(c => c.Name).Order(), plan.Containers.Select(c => c.Name));
            await RunAsync(project, ProjectAction.Down);
            await Eventually.GetAsync(() => Task.FromResult(fixture.App.As<ProjectService>().Find("rig", name)), p => p is null, Patience, "the project gone");
            foreach (var container in project.Containers)
            {
                await fixture.Store.WaitUntilGoneAsync("rig", container.Id, Patience);
            }

            Assert.True((await fixture.Engine.InspectAsync(outsider)).State?.Running);
            Assert.Contains(await fixture.App.AuditAsync(), e => e.Operation == "project.down" && e.Target == name && e.Outcome == "Succeeded");
        }
        finally
        {
            await fixture.Engine.RemoveAsync(outsider);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Stop_and_start_follow_depends_on_and_recreate_keeps_the_name_and_settings_with_a_new_container()
    {
        var project = $"dd-v2-{TestRig.RunId}";
        var db = await fixture.Engine.RunAsync("v2-db", RigEngine.SleeperCommand, labels: RigEngine.ComposeLabels(project, "db", null));
        var web = await fixture.Engine.RunAsync("v2-web", RigEngine.SleeperCommand, labels: RigEngine.ComposeLabels(project, "web", "db:service_started:false"));
        var info = await ProjectAsync(project, p => p.Running == 2);
        Assert.Equal(["db", "web"], info.StartOrder().Select(s => s.Name));
        await using (var hub = fixture.App.Hub(await fixture.TokenAsync(DockerDash.Security.DashboardRole.Viewer)))
        {
            await hub.StartAsync();
            var listed = (await hub.InvokeAsync<System.Text.Json.JsonElement>("ListProjects")).EnumerateArray().Single(p => p.GetProperty("name").GetString() == project);
            Assert.Equal("rig", listed.GetProperty("engine").GetString());
            Assert.Equal(2, listed.GetProperty("running").GetInt32());
            var webService = listed.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "web");
            Assert.Equal("db", webService.GetProperty("dependsOn")[0].GetString());
            Assert.Equal(web, webService.GetProperty("containers")[0].GetProperty("id").GetString());
        }

        await RunAsync(info, ProjectAction.Stop);
        Assert.True(await FinishedAsync(web) < await FinishedAsync(db), "web (which depends on db) stops first");
        await RunAsync(info, ProjectAction.Start);
        Assert.True(await StartedAsync(db) < await StartedAsync(web), "db starts first");

        var webName = (await fixture.Engine.InspectAsync(web)).Name;
        var before = await fixture.Engine.InspectAsync(web);
        var job = fixture.App.As<ProjectService>().Start("rig", project, ProjectAction.Recreate);
        await job.Completion;
        Assert.True(job.State == DockerDash.Jobs.JobState.Succeeded, job.Outcome);

        var recreated = (await fixture.Engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ComposeLabels.Project}={project}"] = true } },
        })).ToList();
        foreach (var container in recreated)
        {
            fixture.Engine.Track(container.ID);
        }

        Assert.Equal(2, recreated.Count);
        Assert.DoesNotContain(recreated, c => c.ID == web || c.ID == db);
        var after = await fixture.Engine.InspectAsync(recreated.Single(c => c.Labels[ComposeLabels.Service] == "web").ID);
        Assert.Equal(webName, after.Name);
        Assert.True(after.State?.Running);
        Assert.Equal(before.Config?.Cmd, after.Config?.Cmd);
        Assert.Equal(before.Config?.Labels, after.Config?.Labels);
        Assert.Equal(before.HostConfig?.NetworkMode, after.HostConfig?.NetworkMode);
    }

    private async Task<DateTime> FinishedAsync(string id) => DateTime.Parse((await fixture.Engine.InspectAsync(id)).State!.FinishedAt, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<DateTime> StartedAsync(string id) => DateTime.Parse((await fixture.Engine.InspectAsync(id)).State!.StartedAt, System.Globalization.CultureInfo.InvariantCulture);

    private async Task RunAsync(ProjectInfo project, ProjectAction action)
    {
        var job = fixture.App.As<ProjectService>().Start("rig", project.Name, action);
        await job.Completion;
        Assert.True(job.State == DockerDash.Jobs.JobState.Succeeded, job.Outcome);
    }

    private Task<ProjectInfo> ProjectAsync(string name, Func<ProjectInfo, bool> done) =>
        Eventually.GetAsync(() => Task.FromResult(fixture.App.As<ProjectService>().Find("rig", name)), p => p is not null && done(p), Patience, $"project {name}")!;

    private static string ComposeFile()
    {
        var sleeper = "[" + string.Join(", ", RigEngine.SleeperCommand.Select(a => "\"" + a.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "]";
        return $$"""
            version: "2.4"
            services:
              db:
                image: {{TestRig.Image}}
                command: {{sleeper}}
                network_mode: none
                labels: ["{{TestRig.RunLabel}}={{TestRig.RunId}}"]
              web:
                image: {{TestRig.Image}}
                command: {{sleeper}}
                network_mode: none
                depends_on: [db]
                labels: ["{{TestRig.RunLabel}}={{TestRig.RunId}}"]
            """;
    }

    /// <summary>Debian's docker-compose against the rig's engine.</summary>
    private static async Task ComposeAsync(string folder, string project, params string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["DOCKER_HOST"] = TestRig.EngineEndpoint;
        foreach (var argument in (string[])["-p", project, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var compose = Process.Start(start)!;
        var output = await compose.StandardError.ReadToEndAsync() + await compose.StandardOutput.ReadToEndAsync();
        await compose.WaitForExitAsync();
        Assert.True(compose.ExitCode == 0, $"docker-compose {string.Join(' ', arguments)}: {output}");
    }
}
