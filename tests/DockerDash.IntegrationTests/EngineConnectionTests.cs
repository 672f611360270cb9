using System.Net.Sockets;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Operations;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

public class EngineConnectionTests
{
    [Fact]
    public async Task An_unreachable_engine_is_down_with_its_reason_and_does_not_break_the_other()
    {
        var deadSocket = Path.Combine(Path.GetTempPath(), $"dd-no-engine-{TestRig.RunId}.sock");
        var refused = FreeLoopbackPort();
        await using var app = await DashboardApp.StartAsync(
            "--DockerDash:Engines:1:Name=gone",
            $"--DockerDash:Engines:1:Endpoint=unix://{deadSocket}",
            "--DockerDash:Engines:2:Name=refused",
            $"--DockerDash:Engines:2:Endpoint=tcp://127.0.0.1:{refused}");

        var gone = await app.WaitForEngineAsync("gone", EngineStatus.Down);
        var tcp = await app.WaitForEngineAsync("refused", EngineStatus.Down);
        await app.WaitForEngineAsync("rig", EngineStatus.Up);

        Assert.Contains("no socket there", gone.Reason, StringComparison.Ordinal);
        Assert.Contains("connection refused", tcp.Reason, StringComparison.Ordinal);

        var containers = app.As<ContainerService>();
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => containers.StartAsync(new ContainerKey("refused", "abc")));
        Assert.Equal(OperationFailure.Unreachable, error.Failure);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(await containers.ListImageTagsAsync("rig"));
    }

    [Fact]
    public async Task An_unknown_engine_name_is_refused_clearly()
    {
        await using var app = await DashboardApp.StartAsync();
        var containers = app.As<ContainerService>();

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => containers.StopAsync(new ContainerKey("mars", "abc")));

        Assert.Equal("There is no engine named 'mars'.", error.Message);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
