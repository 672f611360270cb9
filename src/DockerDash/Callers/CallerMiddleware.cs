namespace DockerDash.Callers;

/// <summary>Sets the <see cref="CallerContext"/> of every HTTP request (download and upload endpoints) from its authenticated user.</summary>
public sealed class CallerMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, CallerContext caller)
    {
        caller.Current = new Caller(context.User, context.Connection.RemoteIpAddress?.ToString());
        return next(context);
    }
}
