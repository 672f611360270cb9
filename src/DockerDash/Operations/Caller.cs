using System.Security.Claims;

namespace DockerDash.Operations;

/// <summary>Who asks for an operation, and from where.</summary>
public sealed record Caller(ClaimsPrincipal User, string? RemoteAddress)
{
    public static Caller Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()), null);

    public string DisplayName => User.Identity?.IsAuthenticated == true ? User.Identity.Name ?? "(unnamed)" : "anonymous";

    /// <summary>Who this is, stably: the user's id, or the token's; what owns a job.</summary>
    public string Key => User.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } user ? "user:" + user
        : User.FindFirst(DockerDash.Security.DashboardClaims.TokenId)?.Value is { } token ? "token:" + token
        : "anonymous";

    /// <summary>Admin on every engine: sees everyone's jobs.</summary>
    public bool IsAdminEverywhere => DockerDash.Security.DashboardClaims.RoleOn(User, DockerDash.Security.DashboardClaims.AllScopes) >= DockerDash.Security.DashboardRole.Admin;
}

/// <summary>
/// The caller of the current scope: a Blazor circuit (set by <see cref="CircuitCallerHandler"/>) or
/// a hub invocation or HTTP request (set by their filters). Application services read it; they
/// never take a user from their own callers.
/// </summary>
public sealed class CallerContext
{
    public Caller Current { get; set; } = Caller.Anonymous;
}
