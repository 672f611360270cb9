using Docker.DotNet;
using Docker.DotNet.X509;
using DockerDash.Engines.Ssh;

namespace DockerDash.Engines;

/// <summary>Builds Docker.DotNet clients for an endpoint, and negotiates the API version with the engine.</summary>
public static class EngineClientFactory
{
    /// <summary>The oldest Engine API DockerDash supports (Docker 20.10).</summary>
    public static readonly Version MinimumApiVersion = new(1, 41);

    /// <summary>The newest Engine API this build of DockerDash knows (Docker.DotNet.Enhanced 4.3 models Docker 29).</summary>
    public static readonly Version MaximumApiVersion = new(1, 53);

    /// <summary>A client for <paramref name="engine"/>; an <c>ssh://</c> engine's goes through <paramref name="tunnel"/>.</summary>
    public static DockerClient Create(EngineEndpoint engine, Version? apiVersion, SshTunnel? tunnel = null)
    {
        var builder = new DockerClientBuilder()
            .WithEndpoint(engine.Endpoint)
            .WithApiVersion(apiVersion)
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (engine.Ssh is not null)
        {
            return builder.WithTransportOptions(SshHandlerFactory.Instance, tunnel ?? throw new ArgumentNullException(nameof(tunnel))).Build();
        }

        if (engine.TlsCertPath is not null)
        {
            builder = builder.WithAuthProvider(new CertificateCredentials(EngineTls.ClientCertificate(engine.TlsCertPath))
            {
                ServerCertificateValidationCallback = EngineTls.ServerValidation(engine.TlsCertPath, engine.Endpoint.Host),
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Asks the engine (unversioned <c>/version</c>) which API it speaks and picks the newest both sides know.
    /// </summary>
    public static async Task<NegotiatedEngine> NegotiateAsync(EngineEndpoint engine, CancellationToken cancellationToken)
    {
        var tunnel = engine.Ssh is null ? null : SshTunnel.Open(engine.Ssh);
        try
        {
            using var probe = Create(engine, apiVersion: null, tunnel);
            var version = await probe.System.GetVersionAsync(cancellationToken);
            var engineApi = Version.Parse(version.APIVersion);
            if (engineApi < MinimumApiVersion)
            {
                throw new EngineUnsupportedException(
                    $"Engine '{engine.Name}' speaks API {engineApi} ({EngineProducts.Of(version)} {version.Version}); DockerDash needs API {MinimumApiVersion} (Docker 20.10) or newer.");
            }

            var chosen = engineApi < MaximumApiVersion ? engineApi : MaximumApiVersion;
            return new NegotiatedEngine(
                Create(engine, chosen, tunnel), EngineHttpClientFactory.Create(engine, chosen.ToString(), tunnel), chosen.ToString(), version.Version, tunnel, EngineProducts.Of(version));
        }
        catch
        {
            tunnel?.Dispose();
            throw;
        }
    }
}

/// <summary>
/// An engine's clients at the API version both sides speak: Docker.DotNet for most calls, plain HTTP for raw streams,
/// and for an <c>ssh://</c> engine the tunnel both go through. Disposing it closes all three.
/// </summary>
public sealed record NegotiatedEngine(
    IDockerClient Client, HttpClient Http, string ApiVersion, string EngineVersion, SshTunnel? Tunnel = null, string Product = EngineProducts.Docker) : IDisposable
{
    public void Dispose()
    {
        Client.Dispose();
        Http.Dispose();
        Tunnel?.Dispose();
    }
}

public sealed class EngineUnsupportedException(string message) : Exception(message);
