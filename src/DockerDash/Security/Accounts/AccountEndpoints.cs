using DockerDash.Operations;
using DockerDash.Data;
using DockerDash.Security.Hardening;
using DockerDash.Security.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace DockerDash.Security.Accounts;

/// <summary>Sign-out, the kiosk token exchange and the single sign-on start: the account endpoints that are not pages.</summary>
public static class AccountEndpoints
{
    /// <summary>Where a kiosk lands once its token became a cookie.</summary>
    public const string KioskLanding = "/wall";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (HttpContext http, AccountAudit audit) =>
        {
            var name = http.User.Identity?.Name ?? "anonymous";
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            audit.Record(http, name, AccountAudit.Logout, OperationOutcome.Succeeded);
            return Results.Redirect("/account/login");
        });

        // The one URL that takes a token: it becomes a cookie, and the browser is sent on without it.
        endpoints.MapGet(UrlTokenGuard.KioskPath, async ([FromQuery] string? token, HttpContext http, TokenService tokens, AccountAudit audit) =>
        {
            var principal = string.IsNullOrEmpty(token) ? null : await tokens.AuthenticateAsync(token, TokenKind.Kiosk, IdentityConstants.ApplicationScheme, http.RequestAborted);
            if (principal is null)
            {
                audit.Record(http, "kiosk", AccountAudit.Kiosk, OperationOutcome.Denied, "unknown, revoked or expired kiosk token");
                return Results.Text("This kiosk token is unknown, revoked or expired. Ask an admin for a new one.", statusCode: StatusCodes.Status401Unauthorized);
            }

            await http.SignInAsync(IdentityConstants.ApplicationScheme, principal);
            audit.Record(http, principal.Identity!.Name!, AccountAudit.Kiosk, OperationOutcome.Succeeded);
            return Results.Redirect(KioskLanding);
        }).AllowAnonymous().RequireRateLimiting(SecurityHosting.KioskRateLimit);

        endpoints.MapGet("/account/sso", ([FromQuery] string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = ReturnUrls.Safe(returnUrl) }, [OidcLogin.Scheme])).AllowAnonymous();
        return endpoints;
    }
}
