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

    /// <summary>The most history lines one stream may ask for.</summary>
    public const int MaxTail = 100_000;

    /// <summary>The longest filter accepted (a regular expression's cost grows with its size).</summary>
    public const int MaxFilterLength = 1_000;

    /// <summary>This query, or a clear refusal of a tail or filter beyond the limits.</summary>
    public LogQuery Checked() =>
        Tail is < 0 or > MaxTail ? throw new Operations.OperationFailedException($"tail must be between 0 and {MaxTail:N0}.", Operations.OperationFailure.Invalid)
        : Filter is { Length: > MaxFilterLength } ? throw new Operations.OperationFailedException($"A filter may be at most {MaxFilterLength:N0} characters.", Operations.OperationFailure.Invalid)
        : this;

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

        // Non-backtracking: time linear in the line's length whatever the pattern ("^(a+)+$" included);
        // it has no backreferences or lookarounds, and says so.
        try
        {
            var regex = new Regex(Filter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            return line => regex.IsMatch(line.Text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new Operations.OperationFailedException($"The filter is not a regular expression DockerDash can run: {e.Message}", Operations.OperationFailure.Invalid);
        }
    }
}
