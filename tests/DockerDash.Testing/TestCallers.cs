using System.Security.Claims;
using DockerDash.Operations;
using DockerDash.Security;
using DockerDash.Callers;

namespace DockerDash.Testing;

/// <summary>Callers with a given role, for tests that go through the gate without signing in.</summary>
public static class TestCallers
{
    public static Caller With(DashboardRole role, string scope = DashboardClaims.AllScopes, string name = "test-user")
    {
        if (role == DashboardRole.None)
        {
            return Caller.Anonymous;
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"{name}-{role.ToString().ToLowerInvariant()}"), new Claim(ClaimTypes.NameIdentifier, $"{name}-{role.ToString().ToLowerInvariant()}"), DashboardClaims.GrantClaim(scope, role)], "test", ClaimTypes.Name, ClaimTypes.Role);
        return new Caller(new ClaimsPrincipal(identity), "127.0.0.1");
    }

    public static Caller Admin => With(DashboardRole.Admin);
}
