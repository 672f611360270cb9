using System.Globalization;
using System.Text;

namespace DockerDash.Metrics;

/// <summary>
/// The Prometheus text format (0.0.4) for the series DockerDash writes itself (<see cref="ObservedMetrics"/>), the way
/// OpenTelemetry's exporter writes the others on the same page: a family's TYPE and HELP lines (none without a series),
/// then a line a series, <c>otel_scope_name</c> first and the other labels in name order.
/// </summary>
public static class PrometheusText
{
    public const string Gauge = "gauge";
    public const string Counter = "counter";

    private const string Scope = "otel_scope_name=\"" + AppMetrics.MeterName + "\"";

    /// <summary>One series: its labels (any order) and its value.</summary>
    public readonly record struct Series(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);

    public static IEnumerable<string> Family(string name, string type, string help, IEnumerable<Series> series)
    {
        var any = false;
        foreach (var one in series)
        {
            if (!any)
            {
                any = true;
                yield return $"# TYPE {name} {type}";
                yield return $"# HELP {name} {help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}";
            }

            yield return Line(name, one);
        }
    }

    private static string Line(string name, Series series)
    {
        var line = new StringBuilder(name, 256).Append('{').Append(Scope);
        foreach (var (label, value) in series.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            line.Append(',').Append(label).Append("=\"");
            foreach (var c in value)
            {
                _ = c switch
                {
                    '\\' => line.Append("\\\\"),
                    '"' => line.Append("\\\""),
                    '\n' => line.Append("\\n"),
                    _ => line.Append(c),
                };
            }

            line.Append('"');
        }

        return line.Append("} ").Append(Number(series.Value)).ToString();
    }

    private static string Number(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
