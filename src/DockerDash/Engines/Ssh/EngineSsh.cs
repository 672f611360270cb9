using System.Text;

namespace DockerDash.Engines.Ssh;

/// <summary>
/// How DockerDash reaches an <c>ssh://user@host[:port]</c> engine: signed in with a key file, the host's key
/// checked against a known_hosts file, and the engine's socket on that host.
/// </summary>
public sealed record EngineSsh(string User, string Host, int Port, string KeyPath, string? KeyPassphrase, string KnownHostsPath, string RemoteSocket)
{
    public const string DefaultRemoteSocket = "/var/run/docker.sock";

    /// <summary>The host as known_hosts and messages name it: <c>host</c> on port 22, else <c>[host]:port</c>.</summary>
    public string KnownHostsName => Port == 22 ? Host : $"[{Host}]:{Port}";

    public static EngineSsh Parse(string engine, Uri endpoint, EngineEndpointOptions options)
    {
        var userInfo = Uri.UnescapeDataString(endpoint.UserInfo);
        if (userInfo.Contains(':', StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Engine '{engine}': put no password in an ssh:// address; DockerDash signs in with the key in SshKeyPath.");
        }

        if (userInfo.Length == 0)
        {
            throw new InvalidOperationException($"Engine '{engine}': an ssh:// address names the user to sign in as: ssh://user@{endpoint.Host}.");
        }

        if (endpoint.AbsolutePath is not ("" or "/"))
        {
            throw new InvalidOperationException(
                $"Engine '{engine}': an ssh:// address has no path ('{endpoint.AbsolutePath}'); the engine's socket on the host goes in SshRemoteSocket.");
        }

        var keyPath = RequiredFile(engine, nameof(options.SshKeyPath), options.SshKeyPath, "the private key to sign in with");
        var knownHosts = RequiredFile(engine, nameof(options.SshKnownHostsPath), options.SshKnownHostsPath,
            "a known_hosts file naming the host's key (DockerDash never accepts an unknown host key)");
        var socket = string.IsNullOrWhiteSpace(options.SshRemoteSocket) ? DefaultRemoteSocket : options.SshRemoteSocket;
        if (!socket.StartsWith('/'))
        {
            throw new InvalidOperationException($"Engine '{engine}': SshRemoteSocket '{socket}' is not an absolute path on the remote host.");
        }

        var passphrase = string.IsNullOrEmpty(options.SshKeyPassphrase) ? null : options.SshKeyPassphrase;
        return new EngineSsh(userInfo, endpoint.Host, endpoint.IsDefaultPort || endpoint.Port <= 0 ? 22 : endpoint.Port, keyPath, passphrase, knownHosts, socket);
    }

    private static string RequiredFile(string engine, string setting, string? path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"Engine '{engine}': an ssh:// engine needs {setting}, {what}.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Engine '{engine}': {setting} '{path}' does not exist.");
        }

        return path;
    }

    // Records print every member; the passphrase is not one to print.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"User = {User}, Host = {Host}, Port = {Port}, KeyPath = {KeyPath}, KnownHostsPath = {KnownHostsPath}, RemoteSocket = {RemoteSocket}");
        return true;
    }
}
