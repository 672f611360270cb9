namespace DockerDash.Engines;

/// <summary>The <c>DockerDash</c> configuration section.</summary>
public sealed class DockerDashOptions
{
    public const string SectionName = "DockerDash";

    public List<EngineEndpointOptions> Engines { get; set; } = [];
}

/// <summary>One engine as configured: <c>DockerDash:Engines:N</c>.</summary>
public sealed class EngineEndpointOptions
{
    public string Name { get; set; } = "";

    /// <summary><c>unix:///path/docker.sock</c>, <c>tcp://host:2376</c>, <c>http://</c>, <c>https://</c> or <c>ssh://user@host[:port]</c>.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>A folder holding <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c>, as the Docker CLI uses them.</summary>
    public string? TlsCertPath { get; set; }

    /// <summary>SSH engines: the private key DockerDash signs in with (OpenSSH, PEM or PuTTY format).</summary>
    public string? SshKeyPath { get; set; }

    /// <summary>SSH engines: the passphrase of <see cref="SshKeyPath"/>, when it has one.</summary>
    public string? SshKeyPassphrase { get; set; }

    /// <summary>SSH engines (required): an OpenSSH <c>known_hosts</c> file that names the host's key. Unknown or changed keys are refused.</summary>
    public string? SshKnownHostsPath { get; set; }

    /// <summary>SSH engines: the engine's socket on the remote host (default <c>/var/run/docker.sock</c>).</summary>
    public string? SshRemoteSocket { get; set; }
}
