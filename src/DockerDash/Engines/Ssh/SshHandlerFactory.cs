using Docker.DotNet.Handler.Abstractions;
using Microsoft.Net.Http.Client;

namespace DockerDash.Engines.Ssh;

/// <summary>
/// Docker.DotNet's transport for <c>ssh://</c> engines: its own HTTP/1.1 handler (the one its unix transport uses,
/// which can hand a connection over to an attached console) over channels of the engine's <see cref="SshTunnel"/>.
/// </summary>
public sealed class SshHandlerFactory : IDockerHandlerFactory<SshTunnel>, IStreamHijacker
{
    public static readonly SshHandlerFactory Instance = new();

    private static readonly Uri Root = new("http://engine/");

    public ResolvedTransport CreateHandler(SshTunnel tunnel, ResolvedClientOptions clientOptions, ILogger logger) =>
        new(new ManagedHandler((_, _, cancellationToken) => tunnel.OpenChannelAsync(cancellationToken), logger), Root);

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        throw new NotSupportedException("An SSH engine's transport needs its tunnel.");

    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) =>
        content is HttpConnectionResponseContent connection
            ? Task.FromResult(connection.HijackStream())
            : throw new NotSupportedException("The engine's answer cannot be taken over as a console stream.");
}
