using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Accounts;

/// <summary>
/// Every open hub connection and whether its caller is still good: the same check as a page's session
/// (account exists, same security stamp and grants, token active, absolute timeout), plus the cookie's own
/// expiry. Asked on every hub call (the answer kept for <see cref="SecurityOptions.RevalidationInterval"/>),
/// and for every connection on that interval, so that a stream left open ends too: a connection whose
/// caller is no longer good is closed.
/// </summary>
public sealed class HubSessions : BackgroundService
{
    private readonly ConcurrentDictionary<string, OpenConnection> _open = new();

    private readonly IServiceScopeFactory scopes;
    private readonly IOptions<SecurityOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<HubSessions> logger;

    public HubSessions(IServiceScopeFactory scopes, SessionChanges changes, IOptions<SecurityOptions> options, TimeProvider time, ILogger<HubSessions> logger)
    {
        this.scopes = scopes;
        this.options = options;
        this.time = time;
        this.logger = logger;
        changes.Changed += subject => _ = RecheckAsync(subject);
    }

    private sealed class OpenConnection(HubCallerContext context, DateTimeOffset? expires)
    {
        public HubCallerContext Context { get; } = context;

        public DateTimeOffset? Expires { get; } = expires;

        public DateTimeOffset GoodUntil { get; set; }
    }

    public int Count => _open.Count;

    public void Opened(HubCallerContext context)
    {
        var expires = context.GetHttpContext()?.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
        _open[context.ConnectionId] = new OpenConnection(context, expires);
    }

    public void Closed(HubCallerContext context) => _open.TryRemove(context.ConnectionId, out _);

    /// <summary>True when the connection's caller is still good; otherwise the connection is closed.</summary>
    public async Task<bool> CheckAsync(HubCallerContext context)
    {
        if (!_open.TryGetValue(context.ConnectionId, out var connection))
        {
            return context.User?.Identity?.IsAuthenticated == true;
        }

        var now = time.GetUtcNow();
        if (connection.GoodUntil > now)
        {
            return true;
        }

        var good = (connection.Expires is not { } expires || expires > now) && await IsValidAsync(connection.Context);
        if (!good)
        {
            logger.LogInformation("Closing hub connection {Connection} of {User}: the session is no longer valid.", context.ConnectionId, context.User?.Identity?.Name);
            Closed(context);
            context.Abort();
            return false;
        }

        connection.GoodUntil = now + options.Value.RevalidationInterval;
        return true;
    }

    /// <summary>Judges again, now, every connection of a user or token that changed.</summary>
    private async Task RecheckAsync(string subject)
    {
        foreach (var connection in _open.Values.Where(c => DashboardClaims.IsSubject(c.Context.User, subject)))
        {
            connection.GoodUntil = DateTimeOffset.MinValue;
            await CheckAsync(connection.Context);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Max(options.Value.RevalidationInterval.Ticks, TimeSpan.TicksPerSecond / 10)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var connection in _open.Values)
            {
                await CheckAsync(connection.Context);
            }
        }
    }

    private async Task<bool> IsValidAsync(HubCallerContext context)
    {
        if (context.User is not { } user)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SessionValidator>().IsValidAsync(user);
    }
}
