using DockerDash.Engines.Ssh;

namespace DockerDash.Engines;

/// <summary>A validated engine endpoint: what the app connects to, and for <c>ssh://</c> engines how (<see cref="Ssh"/>).</summary>
public sealed record EngineEndpoint(string Name, Uri Endpoint, string? TlsCertPath, EngineSsh? Ssh = null)
{
    public const string DefaultSocket = "unix:///var/run/docker.sock";

    public EngineTransport Transport => EngineTransports.Of(this);

    /// <summary>
    /// The engines to watch: the configured list, or with none configured one engine <c>local</c>
    /// from <c>DOCKER_HOST</c>, else the default socket.
    /// </summary>
    public static IReadOnlyList<EngineEndpoint> Resolve(DockerDashOptions options, string? dockerHost)
    {
        if (options.Engines.Count == 0)
        {
            var endpoint = string.IsNullOrWhiteSpace(dockerHost) ? DefaultSocket : dockerHost;
            return [Parse(new EngineEndpointOptions { Name = "local", Endpoint = endpoint })];
        }

        var engines = options.Engines.Select(Parse).ToList();
        var duplicate = engines.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"DockerDash:Engines names engine '{duplicate.Key}' more than once; engine names must be unique.");
        }

        return engines;
    }

    public static EngineEndpoint Parse(EngineEndpointOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            throw new InvalidOperationException("Every entry of DockerDash:Engines needs a Name.");
        }

        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("unix" or "tcp" or "http" or "https" or "ssh"))
        {
            throw new InvalidOperationException(
                $"Engine '{options.Name}': endpoint '{options.Endpoint}' is not a unix://, tcp://, http://, https:// or ssh:// address.");
        }

        if (uri.Scheme == "ssh")
        {
            return new EngineEndpoint(options.Name, uri, null, EngineSsh.Parse(options.Name, uri, options));
        }

        var tls = string.IsNullOrWhiteSpace(options.TlsCertPath) ? null : options.TlsCertPath;
        if (tls is not null && !Directory.Exists(tls))
        {
            throw new InvalidOperationException($"Engine '{options.Name}': TLS certificate folder '{tls}' does not exist.");
        }

        return new EngineEndpoint(options.Name, uri, tls);
    }
}
