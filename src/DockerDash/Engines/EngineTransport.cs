namespace DockerDash.Engines;

/// <summary>How DockerDash reaches an engine. <c>/healthz</c> names it in lower case (<c>unix</c>, <c>ssh</c>, <c>tls</c>, <c>tcp</c>).</summary>
public enum EngineTransport
{
    /// <summary>The engine's Unix socket on this machine.</summary>
    Unix,

    /// <summary>The engine's Unix socket on another host, through SSH (<c>ssh://</c>).</summary>
    Ssh,

    /// <summary>TCP with TLS (<c>https://</c>, or <c>tcp://</c> with <c>TlsCertPath</c>).</summary>
    Tls,

    /// <summary>Plain TCP: no encryption, no authentication.</summary>
    Tcp,
}

public static class EngineTransports
{
    public static EngineTransport Of(EngineEndpoint engine) =>
        engine.Ssh is not null ? EngineTransport.Ssh
        : engine.Endpoint.Scheme == "unix" ? EngineTransport.Unix
        : engine.TlsCertPath is not null || engine.Endpoint.Scheme == "https" ? EngineTransport.Tls
        : EngineTransport.Tcp;

    /// <summary>The way the engines page says it: "over unix socket", "over SSH", ...</summary>
    public static string Describe(EngineTransport transport) => transport switch
    {
        EngineTransport.Unix => "unix socket",
        EngineTransport.Ssh => "SSH",
        EngineTransport.Tls => "TCP with TLS",
        _ => "plain TCP",
    };

    /// <summary>The name <c>/healthz</c> gives it.</summary>
    public static string Code(EngineTransport transport) => transport.ToString().ToLowerInvariant();
}
