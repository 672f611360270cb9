using DockerDash.Security;
using DockerDash.Security.Accounts;
using DockerDash.Security.Tokens;
using Microsoft.AspNetCore.SignalR;

namespace DockerDash.Callers;

/// <summary>
/// Sets the <see cref="CallerContext"/> of each hub invocation from its connection's user, and keeps
/// track of connections made with a token so that revoking the token closes them.
/// </summary>
public sealed class HubCallerFilter(LiveTokenConnections live, HubSessions sessions, DockerDash.Metrics.AppMetrics metrics) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        if (!await sessions.CheckAsync(context))
        {
            throw new HubException("Your session has ended (signed out, locked, roles changed or expired): connect again.");
        }

        invocationContext.ServiceProvider.GetRequiredService<CallerContext>().Current =
            new Caller(context.User ?? Caller.Anonymous.User, context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString());
        return await next(invocationContext);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (context.Context.User?.FindFirst(DashboardClaims.TokenId)?.Value is { } tokenId)
        {
            live.Add(tokenId, context.Context);
        }

        sessions.Opened(context.Context);
        metrics.HubConnected();
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.User?.FindFirst(DashboardClaims.TokenId)?.Value is { } tokenId)
        {
            live.Remove(tokenId, context.Context);
        }

        sessions.Closed(context.Context);
        metrics.HubDisconnected();

        return next(context, exception);
    }
}
