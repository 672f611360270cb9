using Docker.DotNet.Models;
using DockerDash.Containers.Create;

namespace DockerDash.Tests.Containers;

public class ContainerCreatePlanTests
{
    [Fact]
    public void A_complete_form_becomes_the_engine_request_and_the_docker_run_command()
    {
        var plan = ContainerCreatePlan.From(new ContainerCreateForm
        {
            Engine = "local",
            Image = "registry.example.com:5000/team/app:1.2",
            Name = "app-1",
            Command = "sh -c 'echo hello world'",
            Environment = "MODE=prod\nGREETING=hi there",
            Ports = "127.0.0.1:8080:80\n53/udp",
            Mounts = "/srv/data:/data:ro\ncache:/cache",
            RestartPolicy = "on-failure:3",
            Labels = "team=core",
            Memory = "512m",
            Cpus = "1.5",
            NetworkMode = "none",
            User = "1000:1000",
            WorkingDir = "/app",
        });

        Assert.True(plan.IsValid, string.Join("; ", plan.Errors.Values));
        var p = plan.Parameters;
        Assert.Equal(["sh", "-c", "echo hello world"], p.Cmd);
        Assert.Equal(["MODE=prod", "GREETING=hi there"], p.Env);
        Assert.Equal("8080", p.HostConfig!.PortBindings["80/tcp"][0].HostPort);
        Assert.Equal("127.0.0.1", p.HostConfig.PortBindings["80/tcp"][0].HostIP);
        Assert.Contains("53/udp", p.ExposedPorts!.Keys);
        Assert.Equal([("bind", true), ("volume", false)], p.HostConfig.Mounts!.Select(m => (m.Type, m.ReadOnly)));
        Assert.Equal((RestartPolicyKind.OnFailure, 3L), (p.HostConfig.RestartPolicy.Name, p.HostConfig.RestartPolicy.MaximumRetryCount));
        Assert.Equal(512L * 1024 * 1024, p.HostConfig.Memory);
        Assert.Equal(1_500_000_000L, p.HostConfig.NanoCPUs);
        Assert.Equal(
            "docker run -d --name app-1 -e MODE=prod -e 'GREETING=hi there' -p 127.0.0.1:8080:80 -p 53/udp -v /srv/data:/data:ro -v cache:/cache "
            + "--restart on-failure:3 --label team=core --memory 512m --cpus 1.5 --network none --user 1000:1000 --workdir /app "
            + "registry.example.com:5000/team/app:1.2 sh -c 'echo hello world'",
            plan.DockerRunCommand);
    }

    [Theory]
    [InlineData(nameof(ContainerCreateForm.Image), "Not An Image!")]
    [InlineData(nameof(ContainerCreateForm.Name), "bad name")]
    [InlineData(nameof(ContainerCreateForm.Environment), "no equals sign")]
    [InlineData(nameof(ContainerCreateForm.Ports), "99999:80")]
    [InlineData(nameof(ContainerCreateForm.Mounts), "/data")]
    [InlineData(nameof(ContainerCreateForm.RestartPolicy), "sometimes")]
    [InlineData(nameof(ContainerCreateForm.Memory), "lots")]
    [InlineData(nameof(ContainerCreateForm.Cpus), "-1")]
    [InlineData(nameof(ContainerCreateForm.Command), "echo 'unclosed")]
    [InlineData(nameof(ContainerCreateForm.WorkingDir), "relative/dir")]
    public void A_wrong_field_gets_a_message_of_its_own(string field, string value)
    {
        var form = new ContainerCreateForm { Engine = "local", Image = "busybox" };
        typeof(ContainerCreateForm).GetProperty(field)!.SetValue(form, value);

        var plan = ContainerCreatePlan.From(form);

        Assert.False(plan.IsValid);
        Assert.Equal([field], plan.Errors.Keys);
    }

    [Fact]
    public void Auto_remove_and_a_restart_policy_exclude_each_other()
    {
        var plan = ContainerCreatePlan.From(new ContainerCreateForm { Engine = "local", Image = "busybox", AutoRemove = true, RestartPolicy = "always" });

        Assert.Contains("exclude", plan.ErrorFor(nameof(ContainerCreateForm.RestartPolicy)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo \"a b\" c\\ d 'e''f'", new[] { "echo", "a b", "c d", "ef" })]
    [InlineData("  spaced   out  ", new[] { "spaced", "out" })]
    [InlineData("''", new[] { "" })]
    public void Command_lines_split_like_a_shell(string line, string[] words)
    {
        Assert.True(CommandLineWords.TrySplit(line, out var split, out _));
        Assert.Equal(words, split);
    }
}
