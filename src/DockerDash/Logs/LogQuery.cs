using System.Text.RegularExpressions;

namespace DockerDash.Logs;

/// <summary>
/// What a viewer asks for: the last <see cref="Tail"/> lines (default 1,000) or the lines since a
/// time, then new lines as they come (unless <see cref="Until"/> ends the range), or everything
/// after a <see cref="After"/> position it already had; only lines matching <see cref="Filter"/>.
/// </summary>
public sealed record LogQuery(int? Tail = LogQuery.DefaultTail, long? SinceNanos = null, long? UntilNanos = null, LogPosition? After = null, string? Filter = null, bool FilterIsRegex = false)
{
    public const int DefaultTail = 1000;

    public bool Follows => UntilNanos is null;

    /// <summary>The line test for "only matching lines", done on the server; null keeps every line.</summary>
    public Func<LogLine, bool>? Matcher()
    {
        if (string.IsNullOrEmpty(Filter))
        {
            return null;
        }

        if (!FilterIsRegex)
        {
            var text = Filter;
            return line => line.Text.Contains(text, StringComparison.OrdinalIgnoreCase);
        }

        try
        {
            var regex = new Regex(Filter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
            return line =>
            {
                try
                {
                    return regex.IsMatch(line.Text);
                }
                catch (RegexMatchTimeoutException)
                {
                    return false;
                }
            };
        }
        catch (ArgumentException e)
        {
            throw new Operations.EngineOperationException($"The filter is not a valid regular expression: {e.Message}", Operations.EngineFailure.Invalid);
        }
    }
}
