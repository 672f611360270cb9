using System.Security.Claims;
using DockerDash.Data;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.Security.Accounts;

/// <summary>
/// Optional OpenID Connect login (<c>DockerDash:Oidc</c>). Each login creates or updates a local
/// user named after the identity provider's user, whose grants are replaced by the ones the
/// <c>RoleMap</c> gives for the values of <c>RoleClaim</c>. No mapped value: no access.
/// </summary>
public static class OidcLogin
{
    public const string Scheme = "oidc";

    public static IServiceCollection AddOidcLogin(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OidcOptions.SectionName).Get<OidcOptions>() ?? new OidcOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(Scheme, "Single sign-on", o =>
        {
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.CallbackPath = "/account/oidc-callback";
            o.Scope.Add("profile");
            o.GetClaimsFromUserInfoEndpoint = true;
            o.Events.OnTicketReceived = async context =>
            {
                var principal = context.Principal ?? throw new InvalidOperationException("The identity provider sent no user.");
                var grants = MapGrants(principal, options);
                var services = context.HttpContext.RequestServices;
                var user = await EnsureUserAsync(services, principal, grants);
                await services.GetRequiredService<SignInManager<DashboardUser>>().SignInAsync(user, isPersistent: false);
                context.HandleResponse();
                context.Response.Redirect(context.ReturnUri is { Length: > 0 } back && back.StartsWith('/') ? back : "/");
            };
        });
        return services;
    }

    public static IReadOnlyList<GrantSpec> MapGrants(ClaimsPrincipal principal, OidcOptions options) =>
        principal.FindAll(options.RoleClaim)
            .SelectMany(c => options.RoleMap.TryGetValue(c.Value, out var mapped) ? mapped.Split(',') : [])
            .Select(GrantSpec.Parse).OfType<GrantSpec>()
            .ToList();

    /// <summary>
    /// The local user of a single sign-on identity, made on its first login. Keyed by the issuer and its
    /// <c>sub</c> (which never change and never pass to someone else), never by a user name the identity
    /// provider lets people choose; the readable name gets a number when it is taken.
    /// </summary>
    public static async Task<DashboardUser> EnsureUserAsync(IServiceProvider services, ClaimsPrincipal principal, IReadOnlyList<GrantSpec> grants)
    {
        var db = services.GetRequiredService<DashboardDbContext>();
        var users = services.GetRequiredService<UserManager<DashboardUser>>();
        var subject = principal.FindFirst(ClaimTypes.NameIdentifier) ?? principal.FindFirst("sub")
            ?? throw new InvalidOperationException("The identity provider sent no subject (sub) for this user.");
        var issuer = principal.FindFirstValue("iss") ?? subject.Issuer;
        var user = await users.FindByLoginAsync(issuer, subject.Value);
        if (user is null)
        {
            var wanted = "oidc-" + AllowedName(principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue(ClaimTypes.Email) ?? subject.Value);
            var name = wanted;
            for (var n = 2; await users.FindByNameAsync(name) is not null; n++)
            {
                name = $"{wanted}-{n}";
            }

            user = new DashboardUser { UserName = name, External = true, CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true };
            var created = await users.CreateAsync(user);
            var linked = created.Succeeded ? await users.AddLoginAsync(user, new UserLoginInfo(issuer, subject.Value, "Single sign-on")) : created;
            if (!linked.Succeeded)
            {
                throw new InvalidOperationException(AccountService.Describe(linked));
            }
        }

        db.Grants.RemoveRange(db.Grants.Where(g => g.UserId == user.Id));
        db.Grants.AddRange(grants.Select(g => new AccessGrant { UserId = user.Id, Scope = g.Scope, Role = g.Role }));
        await db.SaveChangesAsync();
        return user;
    }

    private static string AllowedName(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '@' or '+' ? c : '-').Take(60).ToArray());
}
