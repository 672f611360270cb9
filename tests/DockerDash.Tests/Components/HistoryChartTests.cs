using Bunit;
using DockerDash.Components.History;

namespace DockerDash.Tests.Components;

public sealed class HistoryChartTests : BunitContext
{
    private static readonly DateTimeOffset From = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Samples_are_joined_into_a_line_that_breaks_where_samples_are_missing_and_the_scale_tops_at_a_round_number()
    {
        (DateTimeOffset, double)[] values = [(From, 10), (From.AddSeconds(10), 40), (From.AddSeconds(20), 30), (From.AddSeconds(60), 20)];
        var chart = Render<HistoryChart>(p => p
            .Add(c => c.Title, "CPU")
            .Add(c => c.Series, [new HistoryChart.Line("CPU", values)])
            .Add(c => c.Format, v => $"{v} %")
            .Add(c => c.From, From)
            .Add(c => c.To, From.AddSeconds(60))
            .Add(c => c.Step, TimeSpan.FromSeconds(10)));

        // x: 600 wide over 60 s; y: 100 high, topped at 50 (the next round number over the peak of 40).
        Assert.Equal("M0,79.4 l0.01,0 L100,20.6 L200,40.2 M600,59.8 l0.01,0 ", chart.Find("path").GetAttribute("d"));
        Assert.Equal("now 20 % · average 25 % · peak 40 %", chart.Find(".history-chart-summary").TextContent);
        Assert.Contains("50 % max", chart.Find(".history-chart-axis").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.3, 0.5)]
    [InlineData(96, 100)]
    [InlineData(101, 200)]
    [InlineData(640, 1000)]
    public void The_scale_tops_at_one_two_or_five_times_a_power_of_ten(double peak, double top) => Assert.Equal(top, HistoryChart.NiceCeiling(peak), 6);

    [Fact]
    public void Bytes_top_at_a_round_number_of_their_unit() => Assert.Equal((512 * 1024, 1024 * 1024), (HistoryChart.BinaryCeiling(456 * 1024), HistoryChart.BinaryCeiling(592 * 1024)));
}
