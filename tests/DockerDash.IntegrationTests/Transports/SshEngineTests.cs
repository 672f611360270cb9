using System.Diagnostics;
using DockerDash.Engines;
using DockerDash.Engines.Ssh;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests.Transports;

/// <summary>The rig's engine over SSH: OpenSSH's sshd on 127.0.0.1, a generated host key and user keys.</summary>
public sealed class SshTransport : IEngineTransport
{
    public static string Key => Path.Combine(TestRig.EngineSshDirectory, "client-key");

    public static string KnownHosts => Path.Combine(TestRig.EngineSshDirectory, "known_hosts");

    public static string[] Settings => Engine(1, RemoteEngineSuite<SshTransport>.Remote);

    public static EngineTransport Transport => EngineTransport.Ssh;

    /// <summary>Engine number <paramref name="index"/> over the rig's sshd, with any of its settings replaced.</summary>
    public static string[] Engine(int index, string name, string? key = null, string? knownHosts = null, string? remoteSocket = null) =>
    [
        $"--DockerDash:Engines:{index}:Name={name}",
        $"--DockerDash:Engines:{index}:Endpoint={TestRig.EngineSshEndpoint}",
        $"--DockerDash:Engines:{index}:SshKeyPath={key ?? Key}",
        $"--DockerDash:Engines:{index}:SshKnownHostsPath={knownHosts ?? KnownHosts}",
        $"--DockerDash:Engines:{index}:SshRemoteSocket={remoteSocket ?? new Uri(TestRig.EngineEndpoint).LocalPath}",
    ];
}

/// <summary>
/// An <c>ssh://</c> engine (issue 20): everything of <see cref="RemoteEngineSuite{T}"/> through sshd, and the ways it is
/// refused: a host key that is unknown or has changed (the message names the fingerprint), a key the server does not know,
/// and a socket that is not there; and a lost SSH connection that comes back by itself.
/// </summary>
public sealed class SshEngineTests(RemoteEngineFixture<SshTransport> fixture) : RemoteEngineSuite<SshTransport>(fixture)
{
    [Fact]
    public async Task An_unknown_or_changed_host_key_a_refused_key_and_a_missing_socket_each_say_why()
    {
        var folder = Directory.CreateTempSubdirectory("dockerdash-ssh-").FullName;
        try
        {
            var hostLine = (await File.ReadAllTextAsync(SshTransport.KnownHosts)).Trim();
            var hostName = hostLine.Split(' ')[0];
            var otherKey = string.Join(' ', (await File.ReadAllTextAsync(SshTransport.Key + ".pub")).Split(' ').Take(2));
            var empty = Path.Combine(folder, "empty");
            var changed = Path.Combine(folder, "changed");
            await File.WriteAllTextAsync(empty, "# nothing known\n");
            await File.WriteAllTextAsync(changed, $"{hostName} {otherKey}\n");
            await using var app = await DashboardApp.StartAsync(
            [
                .. SshTransport.Engine(1, "unknown-host", knownHosts: empty),
                .. SshTransport.Engine(2, "changed-host", knownHosts: changed),
                .. SshTransport.Engine(3, "refused-key", key: Path.Combine(TestRig.EngineSshDirectory, "refused-key")),
                .. SshTransport.Engine(4, "no-socket", remoteSocket: "/nowhere/docker.sock"),
            ]);
            var fingerprint = KnownHostsFingerprint(hostLine);

            var unknown = await app.WaitForEngineAsync("unknown-host", EngineStatus.Down);
            var changedKey = await app.WaitForEngineAsync("changed-host", EngineStatus.Down);
            var refused = await app.WaitForEngineAsync("refused-key", EngineStatus.Down);
            var noSocket = await app.WaitForEngineAsync("no-socket", EngineStatus.Down);

            Assert.Contains($"ssh-ed25519 {fingerprint}) is not in {empty}", unknown.Reason, StringComparison.Ordinal);
            Assert.Contains($"has CHANGED: it presents ssh-ed25519 {fingerprint}, but {changed} (line 1) names another key", changedKey.Reason, StringComparison.Ordinal);
            Assert.Contains("refused the key in " + Path.Combine(TestRig.EngineSshDirectory, "refused-key"), refused.Reason, StringComparison.Ordinal);
            Assert.Contains("/nowhere/docker.sock", noSocket.Reason, StringComparison.Ordinal);
            Assert.Contains("ended with status", noSocket.Reason, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_lost_ssh_connection_comes_back_and_events_flow_again()
    {
        using var tunnel = SshTunnel.Open(EngineSsh.Parse("direct", new Uri(TestRig.EngineSshEndpoint), new EngineEndpointOptions
        {
            SshKeyPath = SshTransport.Key,
            SshKnownHostsPath = SshTransport.KnownHosts,
            SshRemoteSocket = new Uri(TestRig.EngineEndpoint).LocalPath,
        }));
        var channel = await tunnel.OpenChannelAsync(CancellationToken.None);
        var connection = Fixture.App.Get<EngineDirectory>().Find(Remote)!;
        var lost = new TaskCompletionSource();
        connection.StateChanged += state =>
        {
            if (state.Status != EngineStatus.Up)
            {
                lost.TrySetResult();
            }
        };

        // sshd's connections are children of its listener: ending them is what a dropped network does to DockerDash.
        using (var kill = Process.Start("pkill", ["-TERM", "-P", (await File.ReadAllTextAsync(Path.Combine(TestRig.EngineSshDirectory, "sshd.pid"))).Trim()]))
        {
            await kill.WaitForExitAsync();
        }

        await lost.Task.WaitAsync(Patience);

        // A channel of the lost connection fails as a dropped socket does (an IOException, or its EndOfStreamException when
        // the channel ends before the answer), and closes quietly (HTTP's pool closes idle connections from a timer, where
        // a throwing close once ended the whole process).
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await channel.WriteAsync("GET /_ping HTTP/1.1\r\nHost: engine\r\n\r\n"u8.ToArray());
            await channel.ReadExactlyAsync(new byte[1]);
        });
        channel.Dispose();

        await Fixture.App.WaitForEngineAsync(Remote, EngineStatus.Up);
        var id = await Fixture.Engine.RunSleeperAsync("ssh-back", start: false);
        await Fixture.App.Get<DockerDash.Containers.ContainerStore>().WaitForAsync(c => c.Engine == Remote && c.Id == id, Patience, "a container made after the reconnect");
    }

    [Fact]
    public async Task Many_requests_reuse_channels_that_share_a_few_ssh_connections()
    {
        var id = await Fixture.Engine.RunSleeperAsync("ssh-many");
        var client = Fixture.App.Get<EngineDirectory>().Find(Remote)!.Client!;

        for (var i = 0; i < 30; i++)
        {
            await client.Containers.InspectContainerAsync(id);
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, 40), new ParallelOptions { MaxDegreeOfParallelism = 20 }, async (_, ct) => await client.Containers.InspectContainerAsync(id, ct));

        // Requests reuse the channels of earlier ones, and channels share connections (eight each): 20 at once need three at most.
        var connections = await SshConnectionsAsync();
        Assert.InRange(connections, 1, 4);
    }

    /// <summary>sshd's open connections: the children of its listener.</summary>
    private static async Task<int> SshConnectionsAsync()
    {
        var listener = (await File.ReadAllTextAsync(Path.Combine(TestRig.EngineSshDirectory, "sshd.pid"))).Trim();
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-P", listener]) { RedirectStandardOutput = true })!;
        var output = await pgrep.StandardOutput.ReadToEndAsync();
        await pgrep.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    /// <summary>What OpenSSH calls the key of a known_hosts line (<c>ssh-keygen -l</c>).</summary>
    private static string KnownHostsFingerprint(string line) => KnownHosts.Fingerprint(Convert.FromBase64String(line.Split(' ')[2]));
}
