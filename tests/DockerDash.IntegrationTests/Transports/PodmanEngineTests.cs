using DockerDash.Engines;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests.Transports;

/// <summary>Podman's Docker-compatible API (<c>podman system service</c>, Debian's podman) as an engine, on its unix socket.</summary>
public sealed class PodmanTransport : IEngineTransport
{
    public static string[] Settings =>
    [
        $"--DockerDash:Engines:1:Name={RemoteEngineSuite<PodmanTransport>.Remote}",
        $"--DockerDash:Engines:1:Endpoint={TestRig.EnginePodmanEndpoint}",
    ];

    public static EngineTransport Transport => EngineTransport.Unix;

    public static string DirectEndpoint => TestRig.EnginePodmanEndpoint;

    public static string Product => EngineProducts.Podman;
}

/// <summary>Everything of <see cref="RemoteEngineSuite{T}"/> against Podman (issue 20): its log times have one-second resolution, so the
/// log test resumes among lines with equal timestamps; its stats come from its own stream (the compatible one samples every 5 s).</summary>
public sealed class PodmanEngineTests(RemoteEngineFixture<PodmanTransport> fixture) : RemoteEngineSuite<PodmanTransport>(fixture);
