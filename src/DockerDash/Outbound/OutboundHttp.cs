using System.Net;
using System.Net.Sockets;

namespace DockerDash.Outbound;

/// <summary>
/// The HTTP handler for every call DockerDash makes to an address a user typed (registries, webhooks):
/// redirects are never followed by the handler (the callers decide, host by host), and no connection is
/// opened to a link-local address (169.254.0.0/16, fe80::/10: where clouds serve instance metadata and
/// credentials), whatever name resolved to it.
/// </summary>
public static class OutboundHttp
{
    public static SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = ConnectAsync,
    };

    /// <summary>Why DockerDash will not call <paramref name="address"/>, or null when it may.</summary>
    public static string? Problem(Uri address) =>
        IPAddress.TryParse(address.IdnHost.Trim('[', ']'), out var ip) && IsLinkLocal(ip)
            ? $"{address.Host} is a link-local address (where cloud instance metadata lives): DockerDash does not call it."
            : null;

    public static bool IsLinkLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? address.GetAddressBytes() is [169, 254, _, _]
            : address.IsIPv6LinkLocal;
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        if (addresses.Length > 0 && addresses.All(IsLinkLocal))
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} is a link-local address (where cloud instance metadata lives): DockerDash does not call it.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses.Where(a => !IsLinkLocal(a)).ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
