using System.Text.RegularExpressions;
using Docker.DotNet.Handler.Abstractions;
using Microsoft.Net.Http.Client;

namespace DockerDash.Engines.Ssh;

/// <summary>
/// Docker.DotNet's transport for <c>ssh://</c> engines, over channels of the engine's <see cref="SshTunnel"/>: requests
/// go through a pooled HTTP handler (a channel costs a process on the host, so it is kept for the next request), and
/// the requests whose connection a console takes over (exec start, attach) through Docker.DotNet's own HTTP/1.1
/// handler, whose connection can be handed over and half-closed when the console's input ends.
/// </summary>
public sealed partial class SshHandlerFactory : IDockerHandlerFactory<SshTunnel>, IStreamHijacker
{
    public static readonly SshHandlerFactory Instance = new();

    public ResolvedTransport CreateHandler(SshTunnel tunnel, ResolvedClientOptions clientOptions, ILogger logger) =>
        new(new RoutingHandler(tunnel.PooledHandler(), new ManagedHandler((_, _, cancellationToken) => tunnel.OpenChannelAsync(cancellationToken), logger)),
            SshTunnel.Root);

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        throw new NotSupportedException("An SSH engine's transport needs its tunnel.");

    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) =>
        content is HttpConnectionResponseContent connection
            ? Task.FromResult(connection.HijackStream())
            : throw new NotSupportedException("The engine's answer cannot be taken over as a console stream.");

    /// <summary>The Engine API requests whose connection becomes the console's: <c>exec/ID/start</c> and <c>containers/ID/attach</c>.</summary>
    [GeneratedRegex(@"/(exec/[^/]+/start|containers/[^/]+/attach)$", RegexOptions.CultureInvariant)]
    private static partial Regex TakenOver();

    private sealed class RoutingHandler(HttpMessageHandler pooled, HttpMessageHandler hijackable) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _pooled = new(pooled);
        private readonly HttpMessageInvoker _hijackable = new(hijackable);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (TakenOver().IsMatch(request.RequestUri?.AbsolutePath ?? "") ? _hijackable : _pooled).SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _pooled.Dispose();
                _hijackable.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
