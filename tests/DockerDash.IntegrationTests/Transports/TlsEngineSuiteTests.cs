using DockerDash.Engines;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests.Transports;

/// <summary>The rig's engine over TCP with TLS: its dockerd's <c>--tlsverify</c> listener on 127.0.0.1 and a client certificate.</summary>
public sealed class TlsTransport : IEngineTransport
{
    public static string[] Settings =>
    [
        $"--DockerDash:Engines:1:Name={RemoteEngineSuite<TlsTransport>.Remote}",
        $"--DockerDash:Engines:1:Endpoint={TestRig.EngineTlsEndpoint}",
        $"--DockerDash:Engines:1:TlsCertPath={TestRig.EngineTlsCertificates}",
    ];

    public static EngineTransport Transport => EngineTransport.Tls;
}

/// <summary>Everything of <see cref="RemoteEngineSuite{T}"/> over TLS (issue 20); the certificate checks are in <c>EngineTlsTests</c>.</summary>
public sealed class TlsEngineSuiteTests(RemoteEngineFixture<TlsTransport> fixture) : RemoteEngineSuite<TlsTransport>(fixture);
