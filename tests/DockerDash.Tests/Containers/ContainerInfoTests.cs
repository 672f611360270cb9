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
    [InlineData("exited", "Exited (137) 5 minutes ago", "exit code 137")]
    [InlineData("running", "Up 5 minutes", null)]
    [InlineData("restarting", "Restarting (1) 2 seconds ago", "last exit 1")]
    public void The_status_note_keeps_no_relative_time_that_would_go_stale(string state, string status, string? note) =>
        Assert.Equal(note, Make("x", state: state, status: status).StatusNote);

    [Fact]
    public void A_published_port_reads_like_the_docker_cli() =>
        Assert.Equal("127.0.0.1:8080->80/tcp", new ContainerPort("127.0.0.1", 8080, 80, "tcp").ToString());

    [Fact]
    public void Masking_keeps_variable_names_and_hides_values()
    {
        var json = """{"Id":"x","Config":{"Env":["PASSWORD=hunter2","PATH=/bin"]}}""";

        var masked = ContainerDetails.MaskEnvironment(json);

        Assert.DoesNotContain("hunter2", masked, StringComparison.Ordinal);
        Assert.Contains("PASSWORD=" + ContainerDetails.Mask, masked, StringComparison.Ordinal);
    }
}
