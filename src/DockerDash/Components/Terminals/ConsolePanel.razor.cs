using DockerDash.Terminals;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace DockerDash.Components.Terminals;

/// <summary>
/// A console into a container in the page: xterm.js in the browser, the session on the server (so it ends with the
/// page's circuit, and with it the process it started). Keystrokes come from JS to <see cref="Input"/>; output goes
/// back chunk by chunk, each awaited, so a chatty process is slowed rather than buffered.
/// </summary>
public sealed partial class ConsolePanel : ComponentBase, IAsyncDisposable
{
    [Parameter, EditorRequired] public string Engine { get; set; } = "";

    [Parameter, EditorRequired] public string ContainerId { get; set; } = "";

    [Parameter] public bool FullScreen { get; set; }

    [Inject] private TerminalService Terminals { get; set; } = default!;

    [Inject] private IOptions<TerminalOptions> Options { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    private ElementReference _terminalElement;
    private ElementReference _keyBarElement;
    private IJSObjectReference? _module;
    private IJSObjectReference? _terminal;
    private DotNetObjectReference<ConsolePanel>? _self;
    private TerminalSession? _session;
    private CancellationTokenSource? _reading;
    private TerminalMode _mode = TerminalMode.Exec;
    private string? _command;
    private string? _user;
    private string? _workingDir;
    private bool _opening;
    private string? _ended;
    private string? _error;

    private string Status =>
        _opening ? "Connecting…"
        : _session is { } s ? $"Connected: {s.Start.Describe()}"
        : _ended is not null ? $"Ended: {_ended}"
        : "Not connected.";

    private async Task ConnectOnEnterAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter" && _session is null)
        {
            await ConnectAsync();
        }
    }

    private async Task ConnectAsync()
    {
        if (_opening || _session is not null)
        {
            return;
        }

        _opening = true;
        _error = null;
        try
        {
            await ResetTerminalAsync();
            var size = await _terminal!.InvokeAsync<TerminalSize>("size");
            _session = await Terminals.OpenAsync(new TerminalRequest(Engine, ContainerId, _mode, Command(), _user, _workingDir, Tty: true, size.Cols, size.Rows));
            _ended = null;
            _reading?.Dispose();
            _reading = new CancellationTokenSource();
            _ = ShowOutputAsync(_session, _reading.Token);
        }
        catch (Operations.OperationFailedException e)
        {
            _error = e.Message;
        }
        catch (JSException e)
        {
            _error = "The terminal could not start in this browser: " + e.Message;
        }
        catch (JSDisconnectedException)
        {
            // The page is gone.
        }
        finally
        {
            _opening = false;
        }
    }

    private string[]? Command() =>
        string.IsNullOrWhiteSpace(_command) ? null : _command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A fresh terminal for each session, so that a reconnect starts on a clean screen.</summary>
    private async Task ResetTerminalAsync()
    {
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/terminal.js");
        _self ??= DotNetObjectReference.Create(this);
        if (_terminal is not null)
        {
            await _terminal.InvokeVoidAsync("dispose");
            await _terminal.DisposeAsync();
        }

        _terminal = await _module.InvokeAsync<IJSObjectReference>("open", _terminalElement, _keyBarElement, _self, new { convertEol = false });
    }

    private async Task ShowOutputAsync(TerminalSession session, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var text in session.ReadAsync(cancellationToken))
            {
                await _terminal!.InvokeVoidAsync("write", cancellationToken, text);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or JSDisconnectedException or JSException or ObjectDisposedException)
        {
            // The page closed or the reader disconnected: the session ends below.
        }

        _ended = session.Ending;
        await EndAsync(session);
        if (!cancellationToken.IsCancellationRequested)
        {
            // Still on the page (the process ended, or the reader disconnected): show how it ended and offer Reconnect.
            await InvokeAsync(StateHasChanged);
        }
    }

    private async Task DisconnectAsync()
    {
        if (_session is { } session)
        {
            session.Close("disconnected by the user");
            await EndAsync(session);
        }
    }

    private async Task EndAsync(TerminalSession session)
    {
        if (ReferenceEquals(_session, session))
        {
            _session = null;
        }

        await session.DisposeAsync();
    }

    /// <summary>Keystrokes from the browser, in the order typed.</summary>
    [JSInvokable]
    public void Input(string keys) => _session?.Send(keys);

    [JSInvokable]
    public async Task Resize(int cols, int rows)
    {
        try
        {
            if (_session is { } session)
            {
                await session.ResizeAsync(cols, rows);
            }
        }
        catch (Exception e) when (e is Docker.DotNet.DockerApiException or HttpRequestException or IOException)
        {
            // The process is gone or the engine away: the output's last line says so.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reading?.Cancel();
        if (_session is { } session)
        {
            _session = null;
            await session.DisposeAsync();
        }

        try
        {
            if (_terminal is not null)
            {
                await _terminal.InvokeVoidAsync("dispose");
                await _terminal.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The page is gone, and the browser's terminal with it.
        }

        _self?.Dispose();
        _reading?.Dispose();
    }

    private sealed record TerminalSize(int Cols, int Rows);
}
