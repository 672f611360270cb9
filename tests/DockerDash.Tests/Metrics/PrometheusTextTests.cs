using DockerDash.Metrics;
using static DockerDash.Metrics.PrometheusText;

namespace DockerDash.Tests.Metrics;

/// <summary>The series DockerDash writes itself on <c>/metrics</c>: the text format as OpenTelemetry's exporter writes it, for any number of containers.</summary>
public class PrometheusTextTests
{
    [Fact]
    public void A_family_is_its_type_help_and_a_line_a_series_with_the_scope_first_and_labels_in_name_order()
    {
        var lines = Family("dockerdash_container_running", Gauge, "1 while the container runs.",
            [new([new("engine", "rig"), new("container", "web"), new("image", "nginx:1")], 1)]).ToList();

        Assert.Equal(
        [
            "# TYPE dockerdash_container_running gauge",
            "# HELP dockerdash_container_running 1 while the container runs.",
            "dockerdash_container_running{otel_scope_name=\"DockerDash\",container=\"web\",engine=\"rig\",image=\"nginx:1\"} 1",
        ], lines);
    }

    [Fact]
    public void A_family_without_series_writes_nothing()
    {
        Assert.Empty(Family("dockerdash_container_healthy", Gauge, "health", []));
    }

    [Fact]
    public void Label_values_and_help_are_escaped_and_values_written_as_prometheus_reads_them()
    {
        var lines = Family("x", Counter, "back\\slash\nnewline",
        [
            new([new("container", "a\"b\\c\nd")], 0.1 + 0.2),
            new([new("container", "big")], 25276166144),
            new([new("container", "nan")], double.NaN),
            new([new("container", "inf")], double.PositiveInfinity),
        ]).ToList();

        Assert.Equal("# HELP x back\\\\slash\\nnewline", lines[1]);
        Assert.Equal("x{otel_scope_name=\"DockerDash\",container=\"a\\\"b\\\\c\\nd\"} 0.30000000000000004", lines[2]);
        Assert.EndsWith("} 25276166144", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("} NaN", lines[4], StringComparison.Ordinal);
        Assert.EndsWith("} +Inf", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_one_of_ten_thousand_containers_has_its_series()
    {
        // OpenTelemetry's instruments keep 2,000 series a metric and merge the rest into one; these are written as they are.
        var containers = Enumerable.Range(0, 10_000).Select(i => new Series([new("engine", $"e{i % 20}"), new("container", $"c{i}")], i % 2)).ToList();

        var lines = Family("dockerdash_container_running", Gauge, "1 while the container runs.", containers).Skip(2).ToList();

        Assert.Equal(10_000, lines.Count);
        Assert.Equal(10_000, lines.Distinct().Count());
        Assert.Contains("dockerdash_container_running{otel_scope_name=\"DockerDash\",container=\"c9999\",engine=\"e19\"} 1", lines);
    }
}
