using Microsoft.Extensions.Options;

namespace DockerDash.Security.Hardening;

/// <summary>
/// Refuses the Blazor and hub connections (<c>/_blazor</c>, <c>/hubs</c>) of a browser page from
/// another site: cookies go with cross-site WebSocket handshakes, so the Origin must be ours or one
/// configured in <c>DockerDash:Security:AllowedOrigins</c> (a reverse proxy's public address).
/// Clients that send no Origin (scripts, tools) authenticate with a token instead.
/// </summary>
public sealed class OriginGuard(RequestDelegate next, IOptionsMonitor<SecurityOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if ((path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/hubs"))
            && context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !IsAllowed(origin, context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("This origin may not connect to DockerDash.");
        }

        return next(context);
    }

    private bool IsAllowed(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var own = $"{request.Scheme}://{request.Host}";
        return string.Equals(uri.GetLeftPart(UriPartial.Authority), own, StringComparison.OrdinalIgnoreCase)
            || options.CurrentValue.AllowedOrigins.Any(a => string.Equals(a.TrimEnd('/'), uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
    }
}
