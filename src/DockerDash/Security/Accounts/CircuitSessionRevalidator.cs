using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Accounts;

/// <summary>
/// Re-checks a live Blazor circuit's principal every few seconds, and at once when its user or token changes on any
/// replica (<see cref="SessionChanges"/>), so that a revoked token, a locked account, changed roles or a timed-out
/// session lose access without waiting for a page load.
/// </summary>
public sealed class CircuitSessionRevalidator : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<SecurityOptions> _options;
    private readonly SessionChanges _changes;

    public CircuitSessionRevalidator(ILoggerFactory loggers, IServiceScopeFactory scopes, SessionChanges changes, IOptions<SecurityOptions> options)
        : base(loggers)
    {
        _scopes = scopes;
        _options = options;
        _changes = changes;
        changes.Changed += OnChanged;
    }

    protected override TimeSpan RevalidationInterval => _options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SessionValidator>().IsValidAsync(authenticationState.User);
        }
        catch (ObjectDisposedException)
        {
            // The app is stopping and its services are gone: the circuit ends with it, there is nothing to decide.
            return true;
        }
    }

    private void OnChanged(string subject) => _ = RecheckAsync(subject);

    private async Task RecheckAsync(string subject)
    {
        var state = await GetAuthenticationStateAsync();
        if (DashboardClaims.IsSubject(state.User, subject) && !await ValidateAuthenticationStateAsync(state, CancellationToken.None))
        {
            NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        }
    }

    protected override void Dispose(bool disposing)
    {
        _changes.Changed -= OnChanged;
        base.Dispose(disposing);
    }
}
