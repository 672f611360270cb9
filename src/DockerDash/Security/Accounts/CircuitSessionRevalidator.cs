using DockerDash.Security.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Accounts;

/// <summary>
/// Re-checks a live Blazor circuit's principal every few seconds, so that a revoked token, a locked
/// account, changed roles or a timed-out session lose access without waiting for a page load.
/// </summary>
public sealed class CircuitSessionRevalidator(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<SecurityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SessionValidator>().IsValidAsync(authenticationState.User);
        }
        catch (ObjectDisposedException)
        {
            // The app is stopping and its services are gone: the circuit ends with it, there is nothing to decide.
            return true;
        }
    }
}
