using System.Diagnostics;
using System.Net.Sockets;
using DockerDash.Engines;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests.Security;

/// <summary>
/// An engine over TLS (the rig's dockerd with <c>--tlsverify</c> on 127.0.0.1, certificates made by openssl):
/// its certificate must chain to <c>ca.pem</c>, be made out to the host DockerDash dials, and be a server
/// certificate. Issue 11, item 7.
/// </summary>
public sealed class EngineTlsTests
{
    private static string[] TlsEngine(string endpoint) =>
        ["--DockerDash:Engines:1:Name=tls", $"--DockerDash:Engines:1:Endpoint={endpoint}", $"--DockerDash:Engines:1:TlsCertPath={TestRig.EngineTlsCertificates}"];

    [Fact]
    public async Task An_engine_whose_certificate_chains_to_the_ca_and_names_its_address_is_up()
    {
        await using var app = await DashboardApp.StartAsync(TlsEngine(TestRig.EngineTlsEndpoint));

        var state = await app.WaitForEngineAsync("tls", EngineStatus.Up);

        Assert.False(string.IsNullOrEmpty(state.ApiVersion));
    }

    [Fact]
    public async Task A_certificate_made_out_to_another_host_is_refused_with_a_message()
    {
        var port = new Uri(TestRig.EngineTlsEndpoint.Replace("tcp://", "http://", StringComparison.Ordinal)).Port;
        await using var app = await DashboardApp.StartAsync(TlsEngine($"tcp://localhost:{port}"));

        var state = await app.WaitForEngineAsync("tls", EngineStatus.Down);

        Assert.Contains("is not made out to localhost", state.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_offered_as_the_engines_certificate_is_refused_with_a_message()
    {
        var port = FakeHttpServer.FreePort();
        var folder = TestRig.EngineTlsCertificates;
        using var server = Process.Start(new ProcessStartInfo("openssl",
            ["s_server", "-quiet", "-accept", $"127.0.0.1:{port}", "-cert", Path.Combine(folder, "cert.pem"), "-key", Path.Combine(folder, "key.pem")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            await Eventually.GetAsync(() => Task.FromResult(Listens(port)), listening => listening, TimeSpan.FromSeconds(10), $"openssl s_server on {port}");
            await using var app = await DashboardApp.StartAsync(TlsEngine($"tcp://127.0.0.1:{port}"));

            var state = await app.WaitForEngineAsync("tls", EngineStatus.Down);

            Assert.Contains("is not a server certificate", state.Reason, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    private static bool Listens(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
