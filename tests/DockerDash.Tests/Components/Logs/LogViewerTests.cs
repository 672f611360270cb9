using System.Threading.Channels;
using Bunit;
using DockerDash.Components.Logs;
using DockerDash.Containers;
using DockerDash.Logs;

namespace DockerDash.Tests.Components.Logs;

public class LogViewerTests : DashboardTestContext
{
    private readonly Channel<LogEntry> _entries = Channel.CreateUnbounded<LogEntry>();
    private LogQuery? _asked;

    private IRenderedComponent<LogViewer> RenderViewer(int window = 10_000)
    {
        RenderProviders();
        return Render<LogViewer>(p => p
            .Add(x => x.Engine, "local")
            .Add(x => x.ContainerId, "abc")
            .Add(x => x.WindowLines, window)
            .Add(x => x.Source, (ContainerKey _, LogQuery query, CancellationToken ct) =>
            {
                _asked = query;
                return _entries.Reader.ReadAllAsync(ct);
            }));
    }

    private static LogEntry Line(int n, LogSource source = LogSource.Stdout) =>
        LogEntry.Of(new LogLine(source, 1_795_788_436_000_000_000 + n, $"line {n}", new LogPosition(1_795_788_436_000_000_000 + n, 0)));

    [Fact]
    public void Thousands_of_lines_arriving_at_once_are_rendered_in_a_few_batches()
    {
        var viewer = RenderViewer();
        var rendersBefore = viewer.RenderCount;

        for (var i = 0; i < 5_000; i++)
        {
            _entries.Writer.TryWrite(Line(i));
        }

        viewer.WaitForAssertion(() => Assert.Contains("4,000 older lines left this view", viewer.Find("[data-testid=log-dropped]").TextContent, StringComparison.Ordinal));
        Assert.InRange(viewer.RenderCount - rendersBefore, 1, 10);
        Assert.Equal(LogQuery.DefaultTail, _asked!.Tail);
    }

    [Fact]
    public void The_view_keeps_as_many_lines_as_last_lines_says()
    {
        var viewer = RenderViewer();

        for (var i = 0; i < 3_400; i++)
        {
            _entries.Writer.TryWrite(Line(i));
        }

        viewer.WaitForAssertion(() => Assert.Contains("keeps the newest 1,000", viewer.Find("[data-testid=log-dropped]").TextContent, StringComparison.Ordinal));
        Assert.Equal(LogQuery.DefaultTail.ToString(System.Globalization.CultureInfo.InvariantCulture), viewer.Find("[data-testid=log-lines]").GetAttribute("data-count"));
        Assert.Equal(LogQuery.DefaultTail.ToString(System.Globalization.CultureInfo.InvariantCulture), viewer.Find("input[data-testid=log-tail]").GetAttribute("value"));
    }

    [Fact]
    public void Scrolling_up_stops_following_and_scrolling_to_the_end_follows_again()
    {
        var viewer = RenderViewer();
        _entries.Writer.TryWrite(Line(1));
        viewer.WaitForAssertion(() => Assert.Equal("1", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count")));

        // What the browser's scroll listener reports when the reader scrolls up.
        viewer.InvokeAsync(() => viewer.Instance.FollowingChanged(false));
        _entries.Writer.TryWrite(Line(2));
        _entries.Writer.TryWrite(Line(3));

        viewer.WaitForAssertion(() => Assert.Contains("2 new lines · jump to latest", viewer.Find("[data-testid=log-new-lines]").TextContent, StringComparison.Ordinal));
        Assert.Equal("false", viewer.Find("[data-testid=log-lines]").GetAttribute("data-following"));
        Assert.Equal("1", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count"));

        viewer.InvokeAsync(() => viewer.Instance.FollowingChanged(true));
        viewer.WaitForAssertion(() => Assert.Equal("3", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count")));
        Assert.Equal("true", viewer.Find("[data-testid=log-lines]").GetAttribute("data-following"));
        Assert.Empty(viewer.FindAll("[data-testid=log-new-lines]"));
    }

    [Fact]
    public void Reaching_the_end_does_not_undo_the_pause_button()
    {
        var viewer = RenderViewer();
        _entries.Writer.TryWrite(Line(1));
        viewer.WaitForAssertion(() => Assert.Equal("1", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count")));

        viewer.Find("[data-testid=log-pause]").Click();
        viewer.InvokeAsync(() => viewer.Instance.FollowingChanged(true));
        _entries.Writer.TryWrite(Line(2));

        viewer.WaitForAssertion(() => Assert.Contains("1 new line", viewer.Find("[data-testid=log-new-lines]").TextContent, StringComparison.Ordinal));
        Assert.Equal("1", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count"));
    }

    [Fact]
    public void Pretty_json_indents_a_json_line_without_rewriting_it()
    {
        var viewer = RenderViewer();
        viewer.FindAll("input[type=checkbox]").Single(i => i.ParentElement!.ParentElement!.TextContent.Contains("Pretty JSON", StringComparison.Ordinal)).Change(true);
        _entries.Writer.TryWrite(LogEntry.Of(new LogLine(LogSource.Stdout, 1, """{"at":"2026-11-27T14:00:00+00:00","msg":"ok"}""", new LogPosition(1, 0))));

        viewer.WaitForAssertion(() => Assert.Contains("\"at\": \"2026-11-27T14:00:00+00:00\"", viewer.Find("[data-testid=log-row] pre.log-json").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void The_window_stays_bounded_and_says_older_lines_left()
    {
        var viewer = RenderViewer(window: 100);

        for (var i = 0; i < 250; i++)
        {
            _entries.Writer.TryWrite(Line(i));
        }

        viewer.WaitForAssertion(() => Assert.Contains("150 older lines left this view", viewer.Find("[data-testid=log-dropped]").TextContent, StringComparison.Ordinal));
        Assert.Equal("100", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count"));
        Assert.Contains("line 249", viewer.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("line 149<", viewer.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_viewer_that_fell_behind_shows_how_many_lines_it_missed()
    {
        var viewer = RenderViewer();

        _entries.Writer.TryWrite(Line(1));
        _entries.Writer.TryWrite(LogEntry.SkippedLines(1234));
        _entries.Writer.TryWrite(Line(1236));

        viewer.WaitForAssertion(() => Assert.Contains("1,234 lines skipped", viewer.Find("[data-testid=log-skipped]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Pause_freezes_the_view_and_counts_new_lines()
    {
        var viewer = RenderViewer();
        _entries.Writer.TryWrite(Line(1));
        viewer.WaitForAssertion(() => Assert.Equal("1", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count")));

        viewer.Find("[data-testid=log-pause]").Click();
        for (var i = 2; i <= 4; i++)
        {
            _entries.Writer.TryWrite(Line(i));
        }

        viewer.WaitForAssertion(() => Assert.Contains("3 new lines", viewer.Find("[data-testid=log-new-lines]").TextContent, StringComparison.Ordinal));
        Assert.Equal("1", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count"));

        viewer.Find("[data-testid=log-pause]").Click();
        viewer.WaitForAssertion(() => Assert.Equal("4", viewer.Find("[data-testid=log-lines]").GetAttribute("data-count")));
    }

    [Fact]
    public void Stderr_and_ansi_colours_are_told_apart()
    {
        var viewer = RenderViewer();

        _entries.Writer.TryWrite(LogEntry.Of(new LogLine(LogSource.Stderr, 1, "\u001b[31mred\u001b[0m plain", new LogPosition(1, 0))));

        viewer.WaitForAssertion(() =>
        {
            var row = viewer.Find("[data-testid=log-row]");
            Assert.Contains("log-stderr", row.ClassName, StringComparison.Ordinal);
            Assert.Equal("red", row.QuerySelector(".ansi-fg-1")!.TextContent);
            Assert.DoesNotContain("\u001b", row.TextContent, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("\u001b[1;32mok\u001b[0m done", new[] { "ok|ansi-fg-2 ansi-bold", " done|" })]
    [InlineData("\u001b[2Kcleared", new[] { "cleared|" })]
    [InlineData("plain", new[] { "plain|" })]
    public void Ansi_codes_become_styled_runs(string line, string[] expected) =>
        Assert.Equal(expected, AnsiText.Parse(line).Select(s => $"{s.Text}|{s.CssClass}"));
}
