using System.Globalization;

namespace DockerDash.Components;

/// <summary>How the pages write sizes and ages, in one place: "1.5 MiB", "3 min ago" (against the app's <see cref="TimeProvider"/>).</summary>
public static class Formats
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Bytes(double value)
    {
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    public static string Ago(DateTimeOffset time, TimeProvider clock)
    {
        var age = clock.GetUtcNow() - time;
        return age.TotalMinutes < 1 ? "just now"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} d ago";
    }

    /// <summary>A length of time as people say it: "45 s", "2 min 3 s", "1 h 5 min".</summary>
    /// <summary>A percentage as pages show it: one decimal below 10 (when it has one), whole above.</summary>
    public static string Percent(double value) => value.ToString(value < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture) + " %";

    public static string Duration(TimeSpan length) =>
        length.TotalMinutes < 1 ? $"{(int)length.TotalSeconds} s"
        : length.TotalHours < 1 ? (length.Seconds == 0 ? $"{(int)length.TotalMinutes} min" : $"{(int)length.TotalMinutes} min {length.Seconds} s")
        : length.Minutes == 0 ? $"{(int)length.TotalHours} h" : $"{(int)length.TotalHours} h {length.Minutes} min";
}
