using System.Globalization;

namespace DockerDash.Bench;

/// <summary>How the benchmarks summarise repeated measurements: medians with their spread, and percentiles.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The nearest-rank percentile, rounded to a tenth.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)], 1);
    }

    /// <summary>"median (min–max)".</summary>
    public static string Summary(IEnumerable<double> values, string format = "0.0")
    {
        var sorted = values.Order().ToList();
        return string.Format(CultureInfo.InvariantCulture, $"{{0:{format}}} ({{1:{format}}}–{{2:{format}}})", sorted[sorted.Count / 2], sorted[0], sorted[^1]);
    }
}
