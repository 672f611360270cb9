using System.Security.Claims;

namespace DockerDash.Security;

/// <summary>The claims that carry a caller's roles: one <c>dd:grant</c> per scope, <c>*=Admin</c> or <c>prod=Viewer</c>.</summary>
public static class DashboardClaims
{
    public const string Grant = "dd:grant";

    /// <summary>The id of the API or kiosk token a principal came from.</summary>
    public const string TokenId = "dd:token";

    /// <summary>user, api or kiosk.</summary>
    public const string Kind = "dd:kind";

    /// <summary>When the session started (unix seconds): the absolute session timeout counts from here.</summary>
    public const string SessionStart = "dd:session-start";

    public const string AllScopes = "*";

    public static Claim GrantClaim(string scope, DashboardRole role) => new(Grant, $"{scope}={role}");

    /// <summary>Whether <paramref name="subject"/> (a user id or a token id) is whom <paramref name="user"/> stands for.</summary>
    public static bool IsSubject(ClaimsPrincipal? user, string subject) =>
        user is not null && subject.Length > 0
        && (user.FindFirstValue(ClaimTypes.NameIdentifier) == subject || user.FindFirstValue(TokenId) == subject);

    /// <summary>The caller's role on <paramref name="scope"/>: the higher of its grant there and its grant on every scope.</summary>
    public static DashboardRole RoleOn(this ClaimsPrincipal user, string scope)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return DashboardRole.None;
        }

        var role = DashboardRole.None;
        foreach (var claim in user.FindAll(Grant))
        {
            var equals = claim.Value.LastIndexOf('=');
            if (equals <= 0 || !Enum.TryParse<DashboardRole>(claim.Value[(equals + 1)..], out var granted))
            {
                continue;
            }

            var grantScope = claim.Value[..equals];
            if ((grantScope == AllScopes || string.Equals(grantScope, scope, StringComparison.OrdinalIgnoreCase)) && granted > role)
            {
                role = granted;
            }
        }

        return role;
    }

    /// <summary>The highest role the caller holds anywhere: what decides which pages it sees.</summary>
    public static DashboardRole HighestRole(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated != true
            ? DashboardRole.None
            : user.FindAll(Grant).Select(c => Enum.TryParse<DashboardRole>(c.Value[(c.Value.LastIndexOf('=') + 1)..], out var r) ? r : DashboardRole.None)
                .DefaultIfEmpty(DashboardRole.None).Max();
}
