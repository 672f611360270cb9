using System.Globalization;
using System.Security.Claims;
using DockerDash.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Accounts;

/// <summary>Puts a user's grants (and when the session started) into the principal that signs in.</summary>
public sealed class GrantClaimsFactory(UserManager<DashboardUser> users, IOptions<IdentityOptions> options, IDbContextFactory<DashboardDbContext> databases, TimeProvider time)
    : UserClaimsPrincipalFactory<DashboardUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(DashboardUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        await using var db = await databases.CreateDbContextAsync();
        var grants = await db.Grants.Where(g => g.UserId == user.Id).ToListAsync();
        identity.AddClaims(grants.Select(g => DashboardClaims.GrantClaim(g.Scope, g.Role)));
        identity.AddClaim(new Claim(DashboardClaims.Kind, "user"));
        identity.AddClaim(new Claim(DashboardClaims.SessionStart, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return identity;
    }
}
