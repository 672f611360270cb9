using System.Security.Claims;

namespace DockerDash.Operations;

/// <summary>Who asks for an operation, and from where.</summary>
public sealed record Caller(ClaimsPrincipal User, string? RemoteAddress)
{
    public static Caller Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()), null);

    public string DisplayName => User.Identity?.IsAuthenticated == true ? User.Identity.Name ?? "(unnamed)" : "anonymous";
}

/// <summary>
/// The caller of the current scope: a Blazor circuit (set by <see cref="CircuitCallerHandler"/>) or
/// a hub invocation or HTTP request (set by their filters). Application services read it; they
/// never take a user from their own callers.
/// </summary>
public sealed class CallerContext
{
    public Caller Current { get; set; } = Caller.Anonymous;
}
