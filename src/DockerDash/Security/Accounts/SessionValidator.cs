using System.Globalization;
using System.Security.Claims;
using DockerDash.Security.Data;
using DockerDash.Security.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Accounts;

/// <summary>
/// Decides whether a signed-in principal is still good: a user's account still exists, is not
/// locked and has the same security stamp; a kiosk's token is not revoked or expired; and the
/// session is younger than the absolute timeout. Used on every cookie request and by Blazor circuits.
/// </summary>
public sealed class SessionValidator(UserManager<DashboardUser> users, TokenService tokens, IOptions<SecurityOptions> options, TimeProvider time)
{
    public async Task<bool> IsValidAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        if (long.TryParse(principal.FindFirstValue(DashboardClaims.SessionStart), NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            && time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(start) > options.Value.AbsoluteTimeout)
        {
            return false;
        }

        if (principal.FindFirstValue(DashboardClaims.TokenId) is { } tokenId)
        {
            return await tokens.IsActiveAsync(tokenId);
        }

        var user = await users.GetUserAsync(principal);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        return !users.SupportsUserSecurityStamp
            || principal.FindFirstValue(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }

    /// <summary>The cookie handler's hook: rejects a principal that is no longer good.</summary>
    public static async Task OnValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var validator = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
        if (context.Principal is null || !await validator.IsValidAsync(context.Principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
