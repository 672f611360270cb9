using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DockerDash.Engines.Ssh;

namespace DockerDash.Engines;

/// <summary>
/// A plain HTTP client to an engine (same endpoint, same TLS client certificate), for the streaming
/// endpoints whose bytes DockerDash reads itself: logs (frames), stats, exports. Requests are
/// relative to the negotiated API version: <c>containers/ID/logs</c>.
/// </summary>
public static class EngineHttpClientFactory
{
    /// <summary>A client for <paramref name="engine"/>; an <c>ssh://</c> engine's connections are channels of <paramref name="tunnel"/>.</summary>
    public static HttpClient Create(EngineEndpoint engine, string apiVersion, SshTunnel? tunnel = null)
    {
        var (handler, root) = engine.Ssh is null ? Direct(engine) : (tunnel?.PooledHandler() ?? throw new ArgumentNullException(nameof(tunnel)), SshTunnel.Root);
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(root, $"v{apiVersion}/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    private static (SocketsHttpHandler Handler, Uri Root) Direct(EngineEndpoint engine)
    {
        // Short idle life: streams are long-lived, the other requests few; idle sockets would only linger on the engine.
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) };
        Uri root;
        if (engine.Endpoint.Scheme == "unix")
        {
            var path = engine.Endpoint.LocalPath;
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            root = new Uri("http://engine/");
        }
        else
        {
            var tls = engine.TlsCertPath is not null || engine.Endpoint.Scheme == "https";
            root = new UriBuilder(tls ? "https" : "http", engine.Endpoint.Host, engine.Endpoint.Port).Uri;
            if (engine.TlsCertPath is { } folder)
            {
                handler.SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = new X509CertificateCollection { EngineTls.ClientCertificate(folder) },
                    RemoteCertificateValidationCallback = EngineTls.ServerValidation(folder, engine.Endpoint.Host),
                };
            }
        }

        return (handler, root);
    }
}
