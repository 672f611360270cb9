namespace DockerDash.Callers;

/// <summary>
/// The caller of the current scope: a Blazor circuit (set by <see cref="CircuitCallerHandler"/>) or
/// a hub invocation or HTTP request (set by their filters). Application services read it; they
/// never take a user from their own callers.
/// </summary>
public sealed class CallerContext
{
    public Caller Current { get; set; } = Caller.Anonymous;
}
