using Microsoft.AspNetCore.Identity;

using DockerDash.Security;

namespace DockerDash.Data;

/// <summary>A person who signs in to DockerDash.</summary>
public sealed class DashboardUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Created by an OpenID Connect login rather than by an admin.</summary>
    public bool External { get; set; }

    public List<AccessGrant> Grants { get; set; } = [];
}

/// <summary>A user's role on one engine or registry, or on all of them (<c>*</c>).</summary>
public sealed class AccessGrant
{
    public int Id { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>An engine or registry name, or <c>*</c>.</summary>
    public string Scope { get; set; } = DashboardClaims.AllScopes;

    public DashboardRole Role { get; set; }
}

public enum TokenKind
{
    /// <summary>For scripts and tools: <c>Authorization: Bearer</c> on the hub.</summary>
    Api,

    /// <summary>For wall displays: opened once as <c>/kiosk?token=...</c>, then a cookie.</summary>
    Kiosk,
}

/// <summary>An API or kiosk token. Only a hash of its secret is kept; the secret is shown once.</summary>
public sealed class AccessToken
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public TokenKind Kind { get; set; }

    /// <summary>SHA-256 of the secret, hex.</summary>
    public string SecretHash { get; set; } = "";

    public DashboardRole Role { get; set; }

    /// <summary>Comma-separated engine names, or <c>*</c>.</summary>
    public string Scopes { get; set; } = DashboardClaims.AllScopes;

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;

    public IReadOnlyList<string> ScopeList => Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>One line of the audit log.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset Time { get; set; }

    public string Caller { get; set; } = "";

    public string? Address { get; set; }

    public string Operation { get; set; } = "";

    /// <summary>The engine or registry, or <c>*</c> for DockerDash itself.</summary>
    public string Scope { get; set; } = "";

    public string? Target { get; set; }

    public string Outcome { get; set; } = "";

    public string? Message { get; set; }
}
