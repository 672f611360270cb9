using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace DockerDash.Engines.Ssh;

/// <summary>
/// The way to an <c>ssh://</c> engine, as the Docker CLI goes: every connection to the engine is a channel running
/// <c>docker system dial-stdio</c> on the host, whose standard input and output are the engine's socket.
/// Channels share SSH connections, at most <see cref="ChannelsPerConnection"/> each (sshd's <c>MaxSessions</c>
/// defaults to 10); a connection is opened when the others are full and closed when it is idle and another has room.
/// The host's key is checked against the known_hosts file on every connection.
/// </summary>
public sealed class SshTunnel : IDisposable
{
    public const int ChannelsPerConnection = 8;

    private readonly Lock _lock = new();
    private readonly List<SshLane> _lanes = [];
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly EngineSsh _ssh;
    private readonly KnownHosts _knownHosts;
    private readonly PrivateKeyFile _key;
    private bool _disposed;

    private SshTunnel(EngineSsh ssh, KnownHosts knownHosts, PrivateKeyFile key) => (_ssh, _knownHosts, _key) = (ssh, knownHosts, key);

    /// <summary>The address HTTP clients use for the engine; the tunnel decides where a connection goes, not the host name.</summary>
    public static readonly Uri Root = new("http://engine/");

    /// <summary>
    /// An HTTP handler whose connections are channels of this tunnel, kept open between requests for half a minute:
    /// opening one costs a process on the host (and the shell start-up of the user there).
    /// </summary>
    public SocketsHttpHandler PooledHandler() => new()
    {
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectCallback = async (_, cancellationToken) => await OpenChannelAsync(cancellationToken),
    };

    /// <summary>The command that turns a channel into a connection to the engine's socket.</summary>
    public string DialCommand => $"docker --host 'unix://{_ssh.RemoteSocket.Replace("'", "'\\''", StringComparison.Ordinal)}' system dial-stdio";

    /// <summary>Reads the key and the known_hosts file (again at every reconnect, so that edits to them count).</summary>
    public static SshTunnel Open(EngineSsh ssh)
    {
        KnownHosts knownHosts;
        try
        {
            knownHosts = KnownHosts.Load(ssh.KnownHostsPath);
        }
        catch (IOException e)
        {
            throw new EngineSshException($"cannot read the known_hosts file {ssh.KnownHostsPath}: {e.Message}");
        }

        try
        {
            return new SshTunnel(ssh, knownHosts, ssh.KeyPassphrase is null ? new PrivateKeyFile(ssh.KeyPath) : new PrivateKeyFile(ssh.KeyPath, ssh.KeyPassphrase));
        }
        catch (Exception e) when (e is SshException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new EngineSshException($"cannot read the SSH key {ssh.KeyPath}: {e.Message}"
                + (ssh.KeyPassphrase is null && e is SshPassPhraseNullOrEmptyException ? " (it has a passphrase: set SshKeyPassphrase)" : ""));
        }
    }

    /// <summary>A new connection to the engine: a stream whose bytes are the engine socket's.</summary>
    public async Task<Stream> OpenChannelAsync(CancellationToken cancellationToken)
    {
        var lane = await LaneAsync(cancellationToken);
        try
        {
            return SshChannelStream.Start(lane.Client.CreateCommand(DialCommand), _ssh.KnownHostsName, () => Release(lane));
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException)
        {
            Release(lane);
            throw new IOException($"cannot open a channel to {_ssh.KnownHostsName}: {e.Message}", e);
        }
    }

    private async Task<SshLane> LaneAsync(CancellationToken cancellationToken)
    {
        if (TryTakeLane() is { } free)
        {
            return free;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (TryTakeLane() is { } freed)
            {
                return freed;
            }

            var lane = new SshLane(await ConnectAsync(cancellationToken)) { Open = 1 };
            lock (_lock)
            {
                if (!_disposed)
                {
                    _lanes.Add(lane);
                    return lane;
                }
            }

            lane.Client.Dispose();
            throw new ObjectDisposedException(nameof(SshTunnel));
        }
        finally
        {
            _connecting.Release();
        }
    }

    private SshLane? TryTakeLane()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _lanes.RemoveAll(DropIfLost);
            var lane = _lanes.FirstOrDefault(l => l.Client.IsConnected && l.Open < ChannelsPerConnection);
            if (lane is not null)
            {
                lane.Open++;
            }

            return lane;
        }
    }

    private static bool DropIfLost(SshLane lane)
    {
        if (lane.Client.IsConnected || lane.Open > 0)
        {
            return false;
        }

        lane.Client.Dispose();
        return true;
    }

    private void Release(SshLane lane)
    {
        SshClient? idle = null;
        lock (_lock)
        {
            lane.Open--;
            if (lane.Open == 0 && (!lane.Client.IsConnected || _lanes.Any(l => l != lane && l.Client.IsConnected && l.Open < ChannelsPerConnection)))
            {
                _lanes.Remove(lane);
                idle = lane.Client;
            }
        }

        idle?.Dispose();
    }

    private async Task<SshClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var host = _ssh.KnownHostsName;
        var info = new Renci.SshNet.ConnectionInfo(_ssh.Host, _ssh.Port, _ssh.User, new PrivateKeyAuthenticationMethod(_ssh.User, _key))
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        OfferOnlyKnownKeyTypes(info, host);
        var client = new SshClient(info) { KeepAliveInterval = TimeSpan.FromSeconds(30) };
        string? refusal = null;
        client.HostKeyReceived += (_, e) =>
        {
            var verdict = _knownHosts.Judge(host, e.HostKeyName, e.HostKey);
            refusal = verdict.Reason;
            e.CanTrust = verdict.Trust;
        };
        try
        {
            await client.ConnectAsync(cancellationToken);
            return client;
        }
        catch (Exception e) when (e is SshException or SocketException or TimeoutException)
        {
            client.Dispose();
            throw new EngineSshException(refusal ?? e switch
            {
                SshAuthenticationException => $"{_ssh.User}@{host} refused the key in {_ssh.KeyPath}: {e.Message}",
                SocketException socket => $"cannot reach the SSH server {host}: {socket.Message}.",
                SshOperationTimeoutException or TimeoutException => $"the SSH server {host} did not answer in time.",
                _ => $"SSH to {host} failed: {e.Message}",
            });
        }
    }

    // As ssh does: when known_hosts names keys of some types for this host, ask the host for one of those, so that a
    // host with several keys presents the one we know (and not, say, its ECDSA key when we know its Ed25519 key).
    private void OfferOnlyKnownKeyTypes(Renci.SshNet.ConnectionInfo info, string host)
    {
        var known = _knownHosts.For(host).Where(k => !k.Revoked).Select(k => k.KeyType).ToHashSet(StringComparer.Ordinal);
        var offered = info.HostKeyAlgorithms.Keys.Where(a => known.Contains(KeyTypeOf(a))).ToHashSet(StringComparer.Ordinal);
        if (offered.Count == 0)
        {
            return;
        }

        foreach (var algorithm in info.HostKeyAlgorithms.Keys.Where(a => !offered.Contains(a)).ToList())
        {
            info.HostKeyAlgorithms.Remove(algorithm);
        }
    }

    private static string KeyTypeOf(string algorithm) => algorithm.StartsWith("rsa-sha2-", StringComparison.Ordinal) ? "ssh-rsa" : algorithm;

    public void Dispose()
    {
        List<SshLane> lanes;
        lock (_lock)
        {
            _disposed = true;
            lanes = [.. _lanes];
            _lanes.Clear();
        }

        foreach (var lane in lanes)
        {
            lane.Client.Dispose();
        }

        _key.Dispose();
    }

    private sealed class SshLane(SshClient client)
    {
        public SshClient Client { get; } = client;

        public int Open { get; set; }
    }
}

/// <summary>An SSH engine could not be reached; the message says why (host key, key, server), for the engine's status line.</summary>
public sealed class EngineSshException(string message) : Exception(message);
