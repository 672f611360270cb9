using System.Globalization;
using System.Security.Claims;
using DockerDash.Data;
using DockerDash.Security.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Accounts;

/// <summary>
/// Decides whether a signed-in principal is still good: a user's account still exists, is not
/// locked and has the same security stamp; a kiosk's token is not revoked or expired; and the
/// session is younger than the absolute timeout. Used on every cookie request and by Blazor circuits.
/// </summary>
public sealed class SessionValidator(UserManager<DashboardUser> users, TokenService tokens, IDbContextFactory<DashboardDbContext> databases, IOptions<SecurityOptions> options, TimeProvider time)
{
    public TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

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

        // A lockout after failed passwords does not end open sessions (a stranger guessing must not log
        // the admin out); an admin's lock changes the security stamp, which does.
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        if (users.SupportsUserSecurityStamp
            && principal.FindFirstValue(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType) != await users.GetSecurityStampAsync(user))
        {
            return false;
        }

        // The roles are the database's, never the cookie's: a cookie claiming other grants is not this user's.
        await using var db = await databases.CreateDbContextAsync();
        var granted = (await db.Grants.Where(g => g.UserId == user.Id).Select(g => new { g.Scope, g.Role }).ToListAsync())
            .Select(g => DashboardClaims.GrantClaim(g.Scope, g.Role).Value);
        var claimed = principal.FindAll(DashboardClaims.Grant).Select(c => c.Value);
        return granted.Order(StringComparer.Ordinal).SequenceEqual(claimed.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// The cookie handler's hook: rejects a principal that is no longer good. A session found good is
    /// not asked again for <see cref="SecurityOptions.RevalidationInterval"/> (a page load brings a dozen requests,
    /// scripts and styles, and one database look-up is enough for them all), unless the user changes meanwhile.
    /// </summary>
    public static async Task OnValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var cache = services.GetRequiredService<IMemoryCache>();
        // Token sessions (kiosks) are few and must end the moment their token is revoked: never cached.
        var key = context.Principal is { } p && p.FindFirstValue(DashboardClaims.TokenId) is null ? SessionKey(p) : null;
        if (key is not null && cache.TryGetValue(key, out _))
        {
            return;
        }

        var validator = services.GetRequiredService<SessionValidator>();
        if (context.Principal is not null && await validator.IsValidAsync(context.Principal))
        {
            if (key is not null)
            {
                var trusted = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = validator.RevalidationInterval };
                trusted.AddExpirationToken(services.GetRequiredService<SessionChanges>().TrustedUntilChanged(context.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? ""));
                cache.Set(key, true, trusted);
            }
        }
        else
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    private static string SessionKey(ClaimsPrincipal principal) =>
        "session:" + principal.FindFirstValue(ClaimTypes.NameIdentifier)
        + ":" + principal.FindFirstValue(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType)
        + ":" + principal.FindFirstValue(DashboardClaims.SessionStart);
}
