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

    public static string Table(List<object> ingest, List<double> latencies, double rawList, double hubList, double idle, double viewers, double before, double after)
    {
        static string F(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            "# DockerDash benchmarks",
            "",
            $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, against the private engine `bench/run` starts; every ratio is DockerDash ÷ the raw Engine API in the same run (for log ingest, a raw run just before each DockerDash run). One run, not interleaved: on these machines a figure moves by a third between runs. The hub subscribers here are SignalR .NET clients in the benchmark's own process; for 50 subscribers `fanout.md` has the interleaved rounds with clients that cost little CPU (`BENCH_ONLY=fanout`), and `memory.md` the memory by runtime setting.",
            "",
            "| benchmark | raw Engine API | DockerDash | ratio | target | met |",
            "|---|---|---|---|---|---|",
        };
        foreach (dynamic run in ingest)
        {
            double ratio = run.ratioToRaw;
            int subscribers = run.subscribers;
            var target = subscribers == 1 ? 0.9 : subscribers == 50 ? 0.8 : 0.0;
            int complete = run.subscribersWithEveryLine;
            string method = run.method;
            lines.Add($"| log ingest, `{method}`, {subscribers} hub subscriber(s) (lines/s at the slowest; {complete} of {subscribers} got every line) | {F((double)run.rawLinesPerSecond, "0")} | {F((double)run.linesPerSecond, "0")} | {F(ratio)}x | {(target > 0 ? $">= {F(target)}x, every line" : "every line")} | {(ratio >= target && complete == subscribers ? "yes" : "no")} |");
        }

        foreach (dynamic run in ingest)
        {
            int connections = run.engineConnectionsDuringRun;
            lines.Add($"| engine log streams during the `{run.method}` {run.subscribers}-subscriber run (connections on the engine socket) | - | {connections} | - | 1 | {(connections == 1 ? "yes" : "no")} |");
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
