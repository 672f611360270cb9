using DockerDash.Containers;
using static DockerDash.Tests.Fakes.Containers;

namespace DockerDash.Tests.Containers;

public class ContainerInfoTests
{
    [Theory]
    [InlineData("Up 3 minutes (healthy)", "healthy")]
    [InlineData("Up 3 minutes (unhealthy)", "unhealthy")]
    [InlineData("Up 2 seconds (health: starting)", "starting")]
    [InlineData("Up 3 minutes", null)]
    public void Health_is_read_from_the_status_text_of_API_1_41(string status, string? health) =>
        Assert.Equal(health, ContainerInfoMapper.HealthFromStatus(status));

    [Theory]
    [InlineData("Exited (137) 5 minutes ago", 137)]
    [InlineData("Restarting (1) 2 seconds ago", 1)]
    [InlineData("Up 5 minutes (healthy)", null)]
    [InlineData("Created", null)]
    public void The_exit_code_is_read_from_the_list_status(string status, int? code) =>
        Assert.Equal(code, ContainerInfoMapper.ExitCodeFromStatus(status));

    [Theory]
    [InlineData("exited", 137, "exit code 137")]
    [InlineData("running", null, null)]
    [InlineData("restarting", 1, "last exit 1")]
    public void The_status_note_keeps_no_relative_time_that_would_go_stale(string state, int? exitCode, string? note) =>
        Assert.Equal(note, Make("x", state: state, exitCode: exitCode).StatusNote);

    [Fact]
    public void An_inspected_container_reads_like_its_list_row()
    {
        var inspected = new Docker.DotNet.Models.ContainerInspectResponse
        {
            ID = "abc",
            Name = "/web",
            Path = "sh",
            Args = ["-c", "echo hi; sleep 1"],
            Created = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc),
            State = new Docker.DotNet.Models.State { Status = "exited", ExitCode = 3 },
            Config = new Docker.DotNet.Models.ContainerConfig { Image = "busybox", Labels = new Dictionary<string, string> { ["a"] = "b" } },
            NetworkSettings = new Docker.DotNet.Models.NetworkSettings
            {
                Ports = new Dictionary<string, IList<Docker.DotNet.Models.PortBinding>>
                {
                    ["80/tcp"] = [new() { HostIP = "127.0.0.1", HostPort = "8080" }],
                    ["53/udp"] = null!,
                },
            },
        };

        var row = ContainerInfoMapper.FromInspect("local", inspected);

        Assert.Equal(("web", "busybox", "sh -c 'echo hi; sleep 1'", "exited", 3), (row.Name, row.Image, row.Command, row.State, row.ExitCode));
        Assert.Equal(["53/udp", "127.0.0.1:8080->80/tcp"], row.Ports.Select(p => p.ToString()));
        Assert.Equal("b", row.Labels["a"]);
    }

    [Fact]
    public void A_published_port_reads_like_the_docker_cli() =>
        Assert.Equal("127.0.0.1:8080->80/tcp", new ContainerPort("127.0.0.1", 8080, 80, "tcp").ToString());

    [Fact]
    public void Masking_keeps_variable_names_and_hides_values()
    {
        var json = """{"Id":"x","Config":{"Env":["PASSWORD=hunter2","PATH=/bin"]}}""";

        var masked = SecretMasking.MaskDocument(System.Text.Json.Nodes.JsonNode.Parse(json))!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        Assert.DoesNotContain("hunter2", masked, StringComparison.Ordinal);
        Assert.Contains("PASSWORD=" + ContainerDetails.Mask, masked, StringComparison.Ordinal);
    }
}
