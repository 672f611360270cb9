using System.Security.Claims;

namespace DockerDash.Callers;

/// <summary>Who asks for an operation, and from where.</summary>
public sealed record Caller(ClaimsPrincipal User, string? RemoteAddress)
{
    public static Caller Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()), null);

    /// <summary>
    /// DockerDash acting without a person (a scheduled check, a webhook's call): one grant, and a name the audit shows
    /// (<paramref name="id"/> keys the jobs it starts).
    /// </summary>
    public static Caller Internal(string id, string name, string scope, DockerDash.Security.DashboardRole role, string? remoteAddress = null) =>
        new(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, id), DockerDash.Security.DashboardClaims.GrantClaim(scope, role), new Claim(DockerDash.Security.DashboardClaims.Kind, "internal")],
            "internal", ClaimTypes.Name, ClaimTypes.Role)), remoteAddress);

    public string DisplayName => User.Identity?.IsAuthenticated == true ? User.Identity.Name ?? "(unnamed)" : "anonymous";

    /// <summary>Who this is, stably: the user's id, or the token's; what owns a job.</summary>
    public string Key => User.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } user ? "user:" + user
        : User.FindFirst(DockerDash.Security.DashboardClaims.TokenId)?.Value is { } token ? "token:" + token
        : "anonymous";

    /// <summary>Admin on every engine: sees everyone's jobs.</summary>
    public bool IsAdminEverywhere => DockerDash.Security.DashboardClaims.RoleOn(User, DockerDash.Security.DashboardClaims.AllScopes) >= DockerDash.Security.DashboardRole.Admin;
}
