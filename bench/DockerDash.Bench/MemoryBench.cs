using System.Globalization;
using System.Text;
using System.Text.Json;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.Bench;

/// <summary>
/// <c>BENCH_ONLY=memory bench/run</c>: the server's resident memory idle and with 1, 50 and 200 idle log viewers (each a hub
/// connection following a quiet container's log with <c>tail=100</c>), under the runtime settings worth trying, each started
/// afresh, the settings interleaved round by round (<c>BENCH_ROUNDS</c>, 3), medians with their spread; then the same server
/// started again on the database its first start made, idle (what a server restarted or upgraded holds, without the first
/// start's migrations). Nothing forces a collection: this is the memory a user sees.
/// </summary>
public static class MemoryBench
{
    private static readonly int[] ViewerCounts = [1, 50, 200];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>What is measured: a name, the server to start, and its extra environment.</summary>
    private sealed record Setting(string Name, string Dll, Dictionary<string, string> Environment);

    /// <param name="dll">The server as shipped: the lean publish (<c>bench/bin/lean</c>, the Dockerfile's build).</param>
    /// <param name="publishes">The folder holding the copies <c>bench/run</c> publishes to compare: <c>r2r/</c> and <c>trimmed/</c>.</param>
    public static async Task RunAsync(string root, string dll, string publishes, RigEngine engine)
    {
        var rounds = int.Parse(System.Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
        var only = System.Environment.GetEnvironmentVariable("BENCH_SETTINGS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Setting[] settings =
        [
            new("as shipped", dll, []),
            new("framework-dependent (the shared framework: precompiled)", Path.Combine(root, "src", "DockerDash", "bin", "Release", "net10.0", "DockerDash.dll"), []),
            new("server GC (what ran before 2026-12-03)", dll, new() { ["DOTNET_gcServer"] = "1" }),
            new("concurrent GC off", dll, new() { ["DOTNET_gcConcurrent"] = "0" }),
            new("gen0 budget 2 MB", dll, new() { ["DOTNET_GCgen0size"] = "0x200000" }),
            new("gen0 budget not capped", dll, new() { ["DOTNET_GCGen0MaxBudget"] = "0x10000000" }),
            new("GC regions 4 MB (the runtime's default)", dll, new() { ["DOTNET_GCRegionSize"] = "0x400000" }),
            new("glibc's malloc arenas (without the image's MALLOC_ARENA_MAX)", dll, new() { ["MALLOC_ARENA_MAX"] = "" }),
            new("glibc's moving mmap threshold (without the image's MALLOC_MMAP_THRESHOLD_)", dll, new() { ["MALLOC_MMAP_THRESHOLD_"] = "" }),
            new("glibc's malloc as it comes (neither)", dll, new() { ["MALLOC_ARENA_MAX"] = "", ["MALLOC_MMAP_THRESHOLD_"] = "" }),
            new("conserve memory off", dll, new() { ["DOTNET_GCConserveMemory"] = "0" }),
            new("tiered PGO off", dll, new() { ["DOTNET_TieredPGO"] = "0" }),
            new("call count threshold 30 (the runtime's default)", dll, new() { ["DOTNET_TC_CallCountThreshold"] = "30" }),
            new("framework-dependent ReadyToRun", Path.Combine(publishes, "r2r", "DockerDash.dll"), []),
            new("trimmed self-contained (not shipped)", Path.Combine(publishes, "trimmed", "DockerDash.dll"), []),
            new("W^X off", dll, new() { ["DOTNET_EnableWriteXorExecute"] = "0" }),
            new("tiered compilation off", dll, new() { ["DOTNET_TieredCompilation"] = "0" }),
        ];
        settings = [.. settings.Where(s => only is null || only.Contains(s.Name))];
        var quiet = await engine.RunAsync("bench-quiet", ["sh", "-c", "seq 1 100; sleep 3600"]);
        var measured = settings.ToDictionary(s => s.Name, _ => new List<double[]>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var setting in settings)
            {
                var figures = await MeasureAsync(setting, quiet);
                measured[setting.Name].Add(figures);
                Console.WriteLine($"round {round}, {setting.Name}: idle {figures[0]:0.0} MB, viewers 1/50/200: {string.Join(" / ", figures.Skip(1).Take(ViewerCounts.Length).Select(f => f.ToString("0.0", CultureInfo.InvariantCulture)))} MB, idle restarted {figures[^1]:0.0} MB");
            }
        }

        await engine.RemoveAsync(quiet);
        var outDir = Path.Combine(root, "bench", "results");
        var rows = settings.Select(s => new
        {
            setting = s.Name,
            environment = s.Environment,
            idleMb = Stats.Summary(measured[s.Name].Select(f => f[0])),
            viewers = ViewerCounts.Select((count, i) => new { count, rssMb = Stats.Summary(measured[s.Name].Select(f => f[i + 1])) }).ToList(),
            perViewerMb = Stats.Summary(measured[s.Name].Select(f => (f[3] - f[0]) / 200)),
            restartedIdleMb = Stats.Summary(measured[s.Name].Select(f => f[^1])),
        }).ToList();
        await File.WriteAllTextAsync(Path.Combine(outDir, "memory.json"), JsonSerializer.Serialize(new { rounds, measuredAt = DateTimeOffset.UtcNow, cores = System.Environment.ProcessorCount, rows }, Indented));
        var md = new StringBuilder();
        md.AppendLine("# DockerDash server memory by runtime setting").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {System.Environment.ProcessorCount} cores by `BENCH_ONLY=memory bench/run`: each setting started afresh, settings interleaved over {rounds} rounds; median (min–max) resident memory in MB, no forced collection. Viewers are hub connections following a quiet container's log with `tail=100`. As shipped: the lean publish (`-p:LeanPublish=true`, the Dockerfile's: self-contained, every assembly as IL only, nothing trimmed), workstation GC, `System.GC.ConserveMemory` 7, `System.GC.Gen0MaxBudget` 16 MB, `System.GC.RegionSize` 1 MB, call count threshold 1,000 (src/DockerDash/DockerDash.csproj), and the Dockerfile's `MALLOC_ARENA_MAX=2` and `MALLOC_MMAP_THRESHOLD_=65536`; each other row changes one thing.").AppendLine();
        Markdown.RssTable(md, "setting", "viewers", ViewerCounts, rows.Select(r => (r.setting, r.idleMb, r.viewers.Select(v => v.rssMb), r.perViewerMb)));
        md.AppendLine().AppendLine("The same server started again on the database its first start made (no migrations to apply), idle after the same sign-in and look at the containers page:").AppendLine();
        md.AppendLine("| setting | idle, first start | idle, restarted |").AppendLine("|---|---|---|");
        foreach (var row in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.setting} | {row.idleMb} | {row.restartedIdleMb} |");
        }

        await File.WriteAllTextAsync(Path.Combine(outDir, "memory.md"), md.ToString());
        Console.WriteLine($"wrote {outDir}/memory.json and memory.md");
    }

    /// <returns>idle, the RSS with each count of viewers, then idle after a restart.</returns>
    private static async Task<double[]> MeasureAsync(Setting setting, string container)
    {
        var environment = new Dictionary<string, string>(setting.Environment) { ["DockerDash__Streams__PerUser"] = "1000" };
        var data = Directory.CreateTempSubdirectory("dockerdash-bench-").FullName;
        try
        {
            var figures = await FirstStartAsync(setting.Dll, environment, data, container);
            await using var restarted = await ServerProcess.StartAsync(setting.Dll, environment, data);
            return [.. figures, await restarted.IdleRssMegabytesAsync()];
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <returns>idle, then the RSS with each count of viewers.</returns>
    private static async Task<double[]> FirstStartAsync(string dll, Dictionary<string, string> environment, string data, string container)
    {
        await using var server = await ServerProcess.StartAsync(dll, environment, data);
        var figures = new List<double> { await server.IdleRssMegabytesAsync() };
        var hubs = new List<HubConnection>();
        try
        {
            foreach (var count in ViewerCounts)
            {
                while (hubs.Count < count)
                {
                    var hub = server.Hub();
                    await hub.StartAsync();
                    var lines = await hub.StreamAsChannelAsync<JsonElement>("StreamLogs", new { engine = "rig", container, tail = 100 });
                    // A viewer counts once its stream delivered (a stream that failed holds nothing on the server).
                    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    _ = await lines.ReadAsync(patience.Token);
                    hubs.Add(hub);
                }

                await Task.Delay(TimeSpan.FromSeconds(5));
                figures.Add(await server.SettledRssMegabytesAsync());
            }
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }

        return [.. figures];
    }
}
