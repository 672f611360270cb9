using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using DockerDash.Containers;
using DockerDash.Logs;
using DockerDash.Operations;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace DockerDash.Components.Logs;

/// <summary>Where a log view gets its entries: the log service, or a test's fake.</summary>
public delegate IAsyncEnumerable<LogEntry> LogSourceDelegate(ContainerKey key, LogQuery query, CancellationToken cancellationToken);

/// <summary>
/// A container's log, live: history then new lines, in a bounded window (the "Last lines" it shows)
/// rendered virtually and at most ~10 times a second however fast lines come. Pause, or scrolling up
/// to read, freezes the view (new lines are counted, "jump to latest" comes back; scrolling to the
/// end resumes); search highlights, "only matching" filters on the server; download streams the whole log.
/// </summary>
public sealed partial class LogViewer
{
    private readonly ConcurrentQueue<LogEntry> _pending = new();
    private LogWindow _window = new(1);
    private LogRow[] _frozen = [];
    private RenderThrottle? _throttle;
    private CancellationTokenSource? _stream;
    private Task? _reading;
    private ElementReference _scroller;
    private IJSObjectReference? _module;
    private IJSObjectReference? _scrolling;
    private DotNetObjectReference<LogViewer>? _self;
    private int _tail = LogQuery.DefaultTail;
    private string? _since;
    private string? _until;
    private string? _search;
    private bool _regex;
    private bool _onlyMatching;
    private bool _timestamps = true;
    private bool _wrap = true;
    private bool _prettyJson;
    private bool _paused;
    private bool _scrolledBack;
    private bool _filtersOpen;
    private long _newWhilePaused;
    private bool _ended;
    private string? _error;
    private (string? Pattern, Regex? Regex) _searchRegex;

    [Parameter, EditorRequired] public string Engine { get; set; } = "";

    [Parameter, EditorRequired] public string ContainerId { get; set; } = "";

    [Parameter] public bool FullScreen { get; set; }

    /// <summary>The most rows the view may keep, whatever "Last lines" asks; older ones leave it (the download has them all).</summary>
    [Parameter] public int WindowLines { get; set; }

    /// <summary>Where entries come from; the log service unless a test gives its own.</summary>
    [Parameter] public LogSourceDelegate? Source { get; set; }

    [Inject] private LogService Logs { get; set; } = default!;

    [Inject] private IConfiguration Configuration { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    private ContainerKey Key => new(Engine, ContainerId);

    private ICollection<LogRow> Display => _paused ? _frozen : _window;

    private string DownloadHref => LogDownloadEndpoint.PathFor(Key, _timestamps);

    private string FullScreenHref => $"/containers/{Uri.EscapeDataString(Engine)}/{Uri.EscapeDataString(ContainerId)}/logs";

    /// <summary>A run of a line's text cut where the search matches, each piece with whether it is a match.</summary>
    private IEnumerable<(string Text, bool Hit)> Split(string text)
    {
        if (string.IsNullOrEmpty(_search))
        {
            yield return (text, false);
            yield break;
        }

        var at = 0;
        foreach (var (start, length) in Matches(text))
        {
            if (start > at)
            {
                yield return (text[at..start], false);
            }

            yield return (text.Substring(start, length), true);
            at = start + length;
        }

        if (at < text.Length)
        {
            yield return (text[at..], false);
        }
    }

    private static readonly string[] ContainerColors = [.. Enumerable.Range(9, 6).Select(i => $"ansi-fg-{i}")];

    /// <summary>The same container always gets the same of six colours, from a stable hash of its name.</summary>
    private static string ContainerColor(string name)
    {
        var hash = 0u;
        foreach (var c in name)
        {
            hash = (hash * 31) + c;
        }

        return ContainerColors[hash % ContainerColors.Length];
    }

    /// <summary>How many rows the view keeps: the "Last lines" asked for, up to the configured most.</summary>
    private int WindowCapacity
    {
        get
        {
            var most = WindowLines > 0 ? WindowLines : Configuration.GetValue("DockerDash:Logs:WindowLines", 10_000);
            return _tail > 0 && string.IsNullOrWhiteSpace(_since) ? Math.Min(_tail, most) : most;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _throttle = new RenderThrottle(RenderThrottle.TenPerSecond, () => InvokeAsync(ApplyPending));
        await RestartAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await StartFollowingAsync();
        }
    }

    /// <summary>(Re)opens the stream with the toolbar's range and filter, into an empty window of the size asked for.</summary>
    private async Task RestartAsync()
    {
        await StopAsync();
        _window = new LogWindow(WindowCapacity);
        _paused = _scrolledBack = false;
        _frozen = [];
        _pending.Clear();
        _ended = false;
        _error = null;
        LogQuery query;
        try
        {
            query = new LogQuery(
                string.IsNullOrWhiteSpace(_since) ? _tail : null,
                LogTimestamp.ParseQueryTime(_since, "since"),
                LogTimestamp.ParseQueryTime(_until, "until"),
                Filter: _onlyMatching && !string.IsNullOrEmpty(_search) ? _search : null,
                FilterIsRegex: _regex);
            query.Matcher();
        }
        catch (Exception e) when (e is FormatException or OperationFailedException)
        {
            _error = e.Message;
            return;
        }

        _stream = new CancellationTokenSource();
        _reading = ReadAsync(query, _stream.Token);
    }

    private async Task ReadAsync(LogQuery query, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var source = Source ?? Logs.StreamAsync;
            await foreach (var entry in source(Key, query, cancellationToken))
            {
                _pending.Enqueue(entry);
                _throttle?.Request();
            }

            _ended = true;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (OperationFailedException e)
        {
            _error = e.Message;
        }

        _throttle?.Request();
    }

    /// <summary>Moves what arrived since the last render into the window, renders once, and follows the newest line.</summary>
    private async Task ApplyPending()
    {
        var added = 0;
        while (_pending.TryDequeue(out var entry))
        {
            _window.Add(entry);
            added++;
        }

        if (_paused)
        {
            _newWhilePaused += added;
        }

        StateHasChanged();
        if (!_paused && added > 0)
        {
            await ScrollToEndAsync(force: false);
        }
    }

    private async Task TogglePause()
    {
        if (_paused)
        {
            await ResumeAsync();
        }
        else
        {
            Freeze(scrolledBack: false);
        }
    }

    /// <summary>Stops following: the view keeps what it shows, new lines are counted.</summary>
    private void Freeze(bool scrolledBack)
    {
        _paused = true;
        _scrolledBack = scrolledBack;
        _newWhilePaused = 0;
        _frozen = _window.ToArray();
    }

    /// <summary>Follows again: the newest lines come into view and the view scrolls to them.</summary>
    private async Task ResumeAsync()
    {
        _paused = false;
        _scrolledBack = false;
        _newWhilePaused = 0;
        _frozen = [];
        StateHasChanged();
        await ScrollToEndAsync(force: true);
    }

    /// <summary>The browser says the reader scrolled up (stop following) or came back to the end (follow, unless paused by the button).</summary>
    [JSInvokable]
    public async Task FollowingChanged(bool following)
    {
        if (!following && !_paused)
        {
            Freeze(scrolledBack: true);
            StateHasChanged();
        }
        else if (following && _paused && _scrolledBack)
        {
            await ResumeAsync();
        }
    }

    private async Task StartFollowingAsync()
    {
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/logview.js");
            _self ??= DotNetObjectReference.Create(this);
            _scrolling = await _module.InvokeAsync<IJSObjectReference>("follow", _scroller, _self);
        }
        catch (JSDisconnectedException)
        {
            // The page is gone.
        }
    }

    /// <param name="force">Follow again even if the reader scrolled up (the "jump to latest" button, Resume).</param>
    private async Task ScrollToEndAsync(bool force)
    {
        try
        {
            if (_scrolling is not null)
            {
                await _scrolling.InvokeVoidAsync("scrollToEnd", force);
            }
        }
        catch (JSDisconnectedException)
        {
            // The page is gone.
        }
    }

    private IEnumerable<(int Start, int Length)> Matches(string text)
    {
        if (_regex)
        {
            if (SearchRegex() is not { } regex)
            {
                yield break;
            }

            foreach (Match match in regex.Matches(text))
            {
                if (match.Length > 0)
                {
                    yield return (match.Index, match.Length);
                }
            }

            yield break;
        }

        for (var at = text.IndexOf(_search!, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(_search!, at + _search!.Length, StringComparison.OrdinalIgnoreCase))
        {
            yield return (at, _search!.Length);
        }
    }

    /// <summary>The search as a regex, built once per search text rather than once per rendered row; null when it does not parse.</summary>
    private Regex? SearchRegex()
    {
        if (_searchRegex.Pattern != _search)
        {
            Regex? regex;
            try
            {
                regex = new Regex(_search!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(20));
            }
            catch (ArgumentException)
            {
                regex = null;
            }

            _searchRegex = (_search, regex);
        }

        return _searchRegex.Regex;
    }

    private async Task StopAsync()
    {
        if (_stream is not null)
        {
            await _stream.CancelAsync();
            if (_reading is not null)
            {
                await _reading;
            }

            _stream.Dispose();
            _stream = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _throttle?.Dispose();
        try
        {
            if (_scrolling is not null)
            {
                await _scrolling.InvokeVoidAsync("dispose");
                await _scrolling.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone with the module.
        }

        _self?.Dispose();
    }
}
