using System.Globalization;

namespace DockerDash.Bench;

/// <summary>The results as the markdown table committed beside latest.json.</summary>
public static class Markdown
{
    /// <summary>
    /// A table of resident memory: per thing measured (a runtime setting, a kind of page) idle, then with each count of
    /// clients, then what one client adds.
    /// </summary>
    public static void RssTable(System.Text.StringBuilder md, string thing, string clients, IReadOnlyList<int> counts, IEnumerable<(string Name, string Idle, IEnumerable<string> WithClients, string PerClient)> rows)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"| {thing} | idle | {string.Join(" | ", counts.Select(c => $"{c} {clients}"))} | per one ({counts[^1]} − idle) / {counts[^1]} |");
        md.AppendLine(string.Concat(Enumerable.Repeat("|---", counts.Count + 3)) + "|");
        foreach (var row in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Name} | {row.Idle} | {string.Join(" | ", row.WithClients)} | {row.PerClient} |");
        }
    }

    internal static string Table(List<IngestRun> ingest, int rounds, List<double> latencies, double rawList, double hubList, double idle, double viewers, double before, double after)
    {
        static string F(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            "# DockerDash benchmarks",
            "",
            $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, against the private engine `bench/run` starts; every ratio is DockerDash ÷ the raw Engine API in the same run. Log ingest: {rounds} rounds, each a raw follower just before each hub run, interleaved; the median of the rounds (min–max). Its hub subscribers are lean JSON clients (a bare WebSocket, each message read in place and every line checked in order: `LeanHubFollower`), in the benchmark's own process on the same cores; `fanout.md` has 50 subscribers against 50 raw followers and with MessagePack (`BENCH_ONLY=fanout`), `memory.md` the memory by runtime setting. The other rows are one run each.",
            "",
            "| benchmark | raw Engine API | DockerDash | ratio | target | met |",
            "|---|---|---|---|---|---|",
        };
        var kinds = ingest.GroupBy(r => (r.Method, r.Subscribers)).ToList();
        foreach (var kind in kinds)
        {
            var (method, subscribers) = kind.Key;
            var target = subscribers == 1 ? 0.9 : subscribers == 50 ? 0.8 : 0.0;
            var complete = kind.Count(r => r.Hub.Complete == subscribers);
            var ratio = Stats.Median(kind.Select(r => r.Ratio));
            lines.Add($"| log ingest, `{method}`, {subscribers} hub subscriber(s) (lines/s at the slowest; every line in order to all of them in {complete} of {kind.Count()} rounds) | {Stats.Summary(kind.Select(r => r.RawRate), "0")} | {Stats.Summary(kind.Select(r => r.Hub.Rate), "0")} | {Stats.Summary(kind.Select(r => r.Ratio), "0.00#'x'")} | {(target > 0 ? $">= {F(target)}x, every line" : "every line")} | {(ratio >= target && complete == kind.Count() ? "yes" : "no")} |");
        }

        foreach (var kind in kinds)
        {
            var (fewest, most) = (kind.Min(r => r.Hub.EngineConnections ?? 0), kind.Max(r => r.Hub.EngineConnections ?? 0));
            lines.Add($"| engine log streams during the `{kind.Key.Method}` {kind.Key.Subscribers}-subscriber runs (connections on the engine socket, in every round) | - | {(fewest == most ? $"{most}" : $"{fewest}–{most}")} | - | 1 | {(fewest == 1 && most == 1 ? "yes" : "no")} |");
        }

        var sorted = latencies.Order().ToList();
        double P(int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
        lines.Add($"| event latency p50 / p95 / p99 over {sorted.Count} events (ms) | - | {F(P(50), "0.0")} / {F(P(95), "0.0")} / {F(P(99), "0.0")} | - | p95 <= 250, p99 <= 1000 | {(P(95) <= 250 && P(99) <= 1000 ? "yes" : "no")} |");
        lines.Add($"| container list, 500 containers (median ms) | {F(rawList)} | {F(hubList)} | {F(hubList / rawList)}x | <= 1.2x | {(hubList / rawList <= 1.2 ? "yes" : "no")} |");
        lines.Add($"| server RSS idle (MB) | - | {F(idle, "0.0")} | - | <= 150 | {(idle <= 150 ? "yes" : "no")} |");
        lines.Add($"| server RSS with 50 idle log viewers (MB) | - | {F(viewers, "0.0")} | - | - | - |");
        lines.Add($"| server RSS after the flood vs before (MB) | - | {F(after, "0.0")} vs {F(before, "0.0")} | {F(after / before)}x | <= 1.1x | {(after / before <= 1.1 ? "yes" : "no")} |");
        lines.Add("");
        return string.Join('\n', lines);
    }
}
