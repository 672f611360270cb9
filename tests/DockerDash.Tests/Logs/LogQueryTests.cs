using System.Diagnostics;
using DockerDash.Logs;
using DockerDash.Operations;

namespace DockerDash.Tests.Logs;

public class LogQueryTests
{
    private static LogLine Line(string text) => new(LogSource.Stdout, 1, text, new LogPosition(1, 0));

    [Fact]
    public void A_catastrophic_regex_filter_runs_in_linear_time()
    {
        var matcher = new LogQuery(Filter: "^(a+)+$", FilterIsRegex: true).Matcher()!;
        var hostile = Line(new string('a', 50_000) + "!");
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 20; i++)
        {
            Assert.False(matcher(hostile));
        }

        // A backtracking engine needs longer than the universe's age for one such line; this one needs milliseconds.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.True(matcher(Line("aaaa")));
    }

    [Fact]
    public void A_regex_with_a_backreference_is_refused_with_a_message()
    {
        var refused = Assert.Throws<OperationFailedException>(() => new LogQuery(Filter: "(a)\\1", FilterIsRegex: true).Matcher());

        Assert.Contains("not a regular expression DockerDash can run", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(LogQuery.MaxTail + 1)]
    public void A_tail_beyond_the_bounds_is_refused(int tail)
    {
        var refused = Assert.Throws<OperationFailedException>(() => new LogQuery(Tail: tail).Checked());

        Assert.Equal(OperationFailure.Invalid, refused.Failure);
    }
}
