using System.Text.Encodings.Web;
using DockerDash.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Tokens;

/// <summary>
/// <c>Authorization: Bearer ddt_...</c> with an API token. Only the header counts: a token in a URL
/// is never read (and is refused by <see cref="Hardening.UrlTokenGuard"/>).
/// </summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), TokenKind.Api, SchemeName, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The token is unknown, revoked or expired.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
