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

    /// <summary><c>unix:///path/docker.sock</c>, <c>tcp://host:2376</c>, <c>http://</c> or <c>https://</c>.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>A folder holding <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c>, as the Docker CLI uses them.</summary>
    public string? TlsCertPath { get; set; }
}
