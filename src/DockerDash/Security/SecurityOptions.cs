namespace DockerDash.Security;

/// <summary><c>DockerDash:Security</c>: sessions, login limits, origins, audit retention.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "DockerDash:Security";

    /// <summary>A session with no request for this long ends.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after its login, active or not.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Login attempts one address may make a minute.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Origins besides the app's own that may open its WebSockets (a reverse proxy's public address).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Addresses of the reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (none
    /// by default): then cookies are Secure and HSTS is sent behind a TLS proxy, and the login limit and the audit
    /// see the client's address rather than the proxy's.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Kiosk token exchanges one address may make a minute.</summary>
    public int KioskAttemptsPerMinute { get; set; } = 10;

    /// <summary>Audit entries older than this are deleted.</summary>
    public int AuditRetentionDays { get; set; } = 90;

    /// <summary>How often open sessions and live connections are checked against revocations, lockouts and timeouts.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary><c>DockerDash:Oidc</c>: optional OpenID Connect login.</summary>
public sealed class OidcOptions
{
    public const string SectionName = "DockerDash:Oidc";

    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The claim whose values are mapped to roles, e.g. <c>groups</c>.</summary>
    public string RoleClaim { get; set; } = "groups";

    /// <summary>Claim value to grants, e.g. <c>"docker-admins": "*=Admin"</c>, <c>"ops": "prod=Operator,staging=Admin"</c>.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
