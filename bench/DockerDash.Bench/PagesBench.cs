using System.Globalization;
using System.Text;
using System.Text.Json;
using DockerDash.Testing;
using Microsoft.Playwright;

namespace DockerDash.Bench;

/// <summary>
/// <c>BENCH_ONLY=pages bench/run</c>: the server's resident memory with 1, 20 and 100 pages left open in headless Chromium,
/// for the pages people leave open: the containers page with 500 rows, the wall display, and a container's log view. Each
/// kind of page gets a server started afresh; kinds interleaved round by round (<c>BENCH_ROUNDS</c>, 2); medians with their
/// spread; nothing forces a collection.
/// </summary>
public static class PagesBench
{
    private static readonly int[] PageCounts = [1, 20, 100];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A page people leave open: its address, and what shows once it has its data.</summary>
    private sealed record Kind(string Name, string Path, string Ready);

    public static async Task RunAsync(string root, string dll, RigEngine engine)
    {
        var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "2", CultureInfo.InvariantCulture);
        Console.WriteLine("== 500 containers in 50 projects, and one that logged 100 lines");
        var created = await BenchContainers.CreateAsync(engine, "bench-page", 500, i => RigEngine.ComposeLabels($"bench-project-{i / 10:00}", $"service-{i % 10}"));
        var logger = await engine.RunAsync("bench-logs", ["sh", "-c", "seq 1 100; sleep 3600"]);
        Kind[] kinds =
        [
            new("containers page, 500 rows", "/containers", "[data-testid=container-row]"),
            new("wall display", "/wall", "[data-testid=status-tile]"),
            new("log view", $"/containers/rig/{logger}/logs", "[data-testid=log-row]"),
        ];
        // BENCH_PAGES=wall (a word of the kind's name) measures only those kinds, e.g. while trying a change.
        var only = Environment.GetEnvironmentVariable("BENCH_PAGES");
        kinds = [.. kinds.Where(k => only is null || k.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
        var measured = kinds.ToDictionary(k => k.Name, _ => new List<double[]>());
        await using (var browser = await BenchBrowser.LaunchAsync())
        {
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var kind in kinds)
                {
                    var figures = await MeasureAsync(browser, dll, kind);
                    measured[kind.Name].Add(figures);
                    Console.WriteLine($"round {round}, {kind.Name}: idle {figures[0]:0.0} MB, pages 1/20/100: {string.Join(" / ", figures.Skip(1).Select(f => f.ToString("0.0", CultureInfo.InvariantCulture)))} MB");
                }

                // Written after every round (a round takes about a quarter of an hour): a stopped run keeps what it measured.
                await WriteAsync(root, round, kinds, measured);
            }
        }

        await BenchContainers.RemoveAsync(engine, [.. created, logger]);
    }

    private static async Task WriteAsync(string root, int rounds, Kind[] kinds, Dictionary<string, List<double[]>> measured)
    {
        var rows = kinds.Select(k => new
        {
            page = k.Name,
            path = k.Path,
            idleMb = Stats.Summary(measured[k.Name].Select(f => f[0])),
            pages = PageCounts.Select((count, i) => new { count, rssMb = Stats.Summary(measured[k.Name].Select(f => f[i + 1])) }).ToList(),
            perPageMb = Stats.Summary(measured[k.Name].Select(f => (f[^1] - f[0]) / PageCounts[^1]), "0.00"),
        }).ToList();
        var outDir = Path.Combine(root, "bench", "results");
        await File.WriteAllTextAsync(Path.Combine(outDir, "pages.json"), JsonSerializer.Serialize(new { rounds, measuredAt = DateTimeOffset.UtcNow, cores = Environment.ProcessorCount, rows }, Indented));
        var md = new StringBuilder();
        md.AppendLine("# DockerDash server memory with pages left open").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores by `BENCH_ONLY=pages bench/run`: a server started afresh for each kind of page, kinds interleaved over {rounds} rounds; resident memory in MB, median (min–max), no forced collection. Pages are tabs of one headless Chromium signed in as the admin, opened one after another until each shows its data, then 5 s of nothing and the median of three readings. The engine has 500 containers in 50 Compose projects; the log view follows a container that logged 100 lines.").AppendLine();
        Markdown.RssTable(md, "page", "open", PageCounts, rows.Select(r => (r.page, r.idleMb, r.pages.Select(p => p.rssMb), r.perPageMb)));

        md.AppendLine().AppendLine("Target: 100 wall displays with the whole server under 400 MB.");
        await File.WriteAllTextAsync(Path.Combine(outDir, "pages.md"), md.ToString());
        Console.WriteLine(md);
    }

    /// <returns>idle, then the RSS with each count of pages open.</returns>
    private static async Task<double[]> MeasureAsync(BenchBrowser browser, string dll, Kind kind)
    {
        var environment = new Dictionary<string, string> { ["DockerDash__Streams__PerUser"] = "1000" };
        await using var server = await ServerProcess.StartAsync(dll, environment);
        var figures = new List<double> { await server.IdleRssMegabytesAsync() };
        var session = await browser.SessionAsync(server);
        var pages = new List<IPage>();
        try
        {
            foreach (var count in PageCounts)
            {
                while (pages.Count < count)
                {
                    pages.Add(await BenchBrowser.OpenAsync(session, kind.Path, kind.Ready));
                }

                await Task.Delay(TimeSpan.FromSeconds(5));
                figures.Add(await server.SettledRssMegabytesAsync());
            }

            // BENCH_HOLD=120 keeps the last count of pages open that long, for a look inside the server
            // (dotnet-gcdump collect -p PID, dotnet-counters monitor -p PID).
            if (int.TryParse(Environment.GetEnvironmentVariable("BENCH_HOLD"), CultureInfo.InvariantCulture, out var hold))
            {
                Console.WriteLine($"== holding {pages.Count} pages open for {hold} s; server pid {server.ProcessId}");
                await Task.Delay(TimeSpan.FromSeconds(hold));
            }
        }
        finally
        {
            await session.DisposeAsync();
        }

        return [.. figures];
    }
}
