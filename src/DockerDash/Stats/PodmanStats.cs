using System.Text.Json;

namespace DockerDash.Stats;

/// <summary>
/// Podman's own stats stream (<c>/libpod/containers/stats?stream=true&amp;interval=1</c>), read into the same counters as
/// Docker's: its Docker-compatible endpoint samples only every 5 seconds (Podman 4.3), this one every second.
/// </summary>
public static class PodmanStats
{
    /// <summary>The stream of one container, one sample a second.</summary>
    public static Uri PathFor(string container) =>
        new($"/v4.0.0/libpod/containers/stats?containers={Uri.EscapeDataString(container)}&stream=true&interval=1", UriKind.Relative);

    /// <summary>
    /// One line of that stream as a <see cref="StatsReading"/>: the container's CPU time against wall time (so that
    /// 100 % is one CPU, as with Docker), the previous line's counters as the "pre" ones. Null while it has no sample.
    /// </summary>
    public static StatsReading? Parse(JsonElement root, StatsReading? previous)
    {
        if (root.TryGetProperty("Error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            throw new InvalidOperationException($"Podman: {(error.ValueKind == JsonValueKind.String ? error.GetString() : error.ToString())}");
        }

        if (!root.TryGetProperty("Stats", out var all) || all.ValueKind != JsonValueKind.Array || all.GetArrayLength() == 0)
        {
            return null;
        }

        var stats = all[0];
        var now = U64(stats, "SystemNano");
        return new StatsReading(
            DateTimeOffset.UnixEpoch.AddTicks((long)(now / 100)),
            U64(stats, "CPUNano"),
            previous?.CpuTotal ?? 0,
            now,
            previous?.SystemCpu ?? 0,
            1,
            (long)U64(stats, "MemUsage"),
            0,
            (long)U64(stats, "MemLimit"),
            (long)U64(stats, "NetInput"),
            (long)U64(stats, "NetOutput"),
            (long)U64(stats, "BlockInput"),
            (long)U64(stats, "BlockOutput"),
            (long)U64(stats, "PIDs"));
    }

    private static ulong U64(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetUInt64(out var n) ? n : 0;
}
