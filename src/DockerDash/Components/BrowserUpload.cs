using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace DockerDash.Components;

/// <summary>
/// Sends the file chosen in a page's file input to one of DockerDash's upload endpoints, from the browser
/// (wwwroot/js/upload.js: streamed from disk, never through the circuit). One per component.
/// </summary>
public sealed class BrowserUpload(IJSRuntime js) : IAsyncDisposable
{
    private IJSObjectReference? _module;

    /// <summary>Whether the server took it, and what it said (its report or its refusal).</summary>
    public async Task<(bool Ok, string Text)> SendAsync(ElementReference input, string url)
    {
        try
        {
            _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/upload.js");
            var result = await _module.InvokeAsync<Result>("upload", input, url);
            var ok = result.Status is >= 200 and < 300;
            return (ok, result.Text.Length > 0 ? result.Text : $"The server answered {result.Status}.");
        }
        catch (JSException e)
        {
            return (false, e.Message);
        }
    }

    private sealed record Result(int Status, string Text);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone already.
        }
    }
}
