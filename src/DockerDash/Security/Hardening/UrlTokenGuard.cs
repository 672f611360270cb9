namespace DockerDash.Security.Hardening;

/// <summary>
/// Refuses any request that carries a token in its address, except the one kiosk exchange
/// (<c>/kiosk?token=</c>), which trades it for a cookie at once. Addresses end up in logs, browser
/// history and proxies; tokens belong in the <c>Authorization</c> header.
/// </summary>
public sealed class UrlTokenGuard(RequestDelegate next)
{
    public const string KioskPath = "/kiosk";

    private static readonly string[] TokenKeys = ["token", "access_token", "api_key", "apikey"];

    public Task InvokeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (Array.Exists(TokenKeys, query.ContainsKey) && !context.Request.Path.Equals(KioskPath, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync("Tokens are never accepted in a URL. Send them as 'Authorization: Bearer <token>'.");
        }

        return next(context);
    }
}
