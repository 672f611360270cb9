using System.Diagnostics;
using System.Globalization;
using DockerDash.Containers;
using DockerDash.Stats;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

[Collection(AloneCollection.Name)]
public class StatsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_busy_containers_stats_agree_with_docker_stats_and_the_stream_stops_when_nobody_watches()
    {
        // A container that burns a core: removed when this test ends, not when the class does.
        await using var busy = new RigContainer(await fixture.Engine.RunAsync("busy", ["sh", "-c", "while true; do :; done"]), fixture.Engine);
        var id = busy.Id;
        var key = new ContainerKey("rig", id);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var samples = new List<StatsSample>();

        await foreach (var sample in fixture.App.As<StatsService>().StreamAsync(key, stop.Token))
        {
            samples.Add(sample);
            if (samples.Count == 4)
            {
                break;
            }
        }

        var (cpu, memory) = DockerStatsNoStream(id);
        var ours = samples.Skip(1).Average(s => s.CpuPercent);
        Assert.InRange(ours, cpu - 30, cpu + 30);
        Assert.InRange(ours, 50, 250);
        Assert.InRange(samples[^1].MemoryBytes, memory / 4, (memory * 4) + (1024 * 1024));
        Assert.All(samples, s => Assert.True(s.MemoryLimitBytes > 0 && s.Pids >= 1));
        Assert.True(samples.Zip(samples.Skip(1)).All(p => p.Second.Time > p.First.Time), "samples come in time order");

        var feeds = fixture.App.Get<StatsFeeds>();
        await Eventually.GetAsync(() => Task.FromResult(feeds.OpenStreams), n => n == 0, TimeSpan.FromSeconds(10), "the stats stream to stop");
    }

    [Fact]
    public async Task A_stopped_container_has_no_stats_and_says_so()
    {
        var id = await fixture.Engine.RunAsync("stopped", ["true"], start: false);

        var error = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(async () =>
        {
            await foreach (var _ in fixture.App.As<StatsService>().StreamAsync(new ContainerKey("rig", id), CancellationToken.None))
            {
            }
        });

        Assert.Contains("is not running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_usage_comes_from_the_shared_collector_while_a_wall_follows_it_and_only_to_who_may_read_stats()
    {
        await using var sleeper = new RigContainer(await fixture.Engine.RunAsync("usage", ["sleep", "2147483647"]), fixture.Engine);
        await fixture.Store.WaitForAsync(c => c.Id == sleeper.Id && c.State == "running", TimeSpan.FromSeconds(10), "the container running");
        var usage = fixture.App.As<EngineUsageService>();
        var feeds = fixture.App.Get<StatsFeeds>();

        using (usage.Follow())
        {
            var measured = await Eventually.GetAsync(() => Task.FromResult(usage.UsageOf("rig", fixture.Store.Snapshot())), u => u is { Measured: > 0 }, TimeSpan.FromSeconds(15), "the engine measured");
            Assert.True(measured!.Running >= 1 && measured.MemoryBytes > 0, $"{measured}");
            Assert.True(feeds.OpenStreams >= 1);
            var elsewhere = fixture.App.As<EngineUsageService>(TestCallers.With(DockerDash.Security.DashboardRole.Viewer, scope: "elsewhere"));
            Assert.Null(elsewhere.UsageOf("rig", fixture.Store.Snapshot()));
        }

        await Eventually.GetAsync(() => Task.FromResult(feeds.OpenStreams), n => n == 0, TimeSpan.FromSeconds(10), "the collector to let go once no wall follows it");
    }

    /// <summary>CPU % and memory bytes as <c>docker stats --no-stream</c> prints them for the container.</summary>
    private static (double Cpu, long Memory) DockerStatsNoStream(string id)
    {
        var start = new ProcessStartInfo("docker", ["stats", "--no-stream", "--format", "{{.CPUPerc}}|{{.MemUsage}}", id]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOCKER_HOST"] = TestRig.EngineEndpoint;
        using var docker = Process.Start(start)!;
        var output = docker.StandardOutput.ReadToEnd().Trim();
        docker.WaitForExit();
        var parts = output.Split('|');
        var cpu = double.Parse(parts[0].TrimEnd('%'), CultureInfo.InvariantCulture);
        var usage = parts[1].Split('/')[0].Trim();
        return (cpu, Bytes(usage));
    }

    private static long Bytes(string text)
    {
        var units = new (string Suffix, double Factor)[] { ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("kB", 1000), ("MB", 1e6), ("GB", 1e9), ("B", 1) };
        var (suffix, factor) = units.First(u => text.EndsWith(u.Suffix, StringComparison.Ordinal));
        return (long)(double.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor);
    }
}
