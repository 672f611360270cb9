using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DockerDash.Callers;

/// <summary>Sets the circuit's <see cref="CallerContext"/> from its authentication state, when the circuit opens and whenever that state changes.</summary>
public sealed class CircuitCallerHandler(AuthenticationStateProvider authentication, CallerContext caller, IHttpContextAccessor http) : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        caller.Current = new Caller((await authentication.GetAuthenticationStateAsync()).User, address);
        authentication.AuthenticationStateChanged += OnChanged;
    }

    private void OnChanged(Task<AuthenticationState> state) => _ = UpdateAsync(state);

    private async Task UpdateAsync(Task<AuthenticationState> state)
    {
        try
        {
            caller.Current = caller.Current with { User = (await state).User };
        }
        catch (InvalidOperationException)
        {
            // The circuit is going away; there is no caller left to update.
        }
    }

    public void Dispose() => authentication.AuthenticationStateChanged -= OnChanged;
}
