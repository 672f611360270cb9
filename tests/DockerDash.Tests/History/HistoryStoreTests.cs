using DockerDash.Containers;
using DockerDash.Data;
using DockerDash.History;
using DockerDash.Stats;
using DockerDash.Tests.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DockerDash.Tests.History;

/// <summary>Resource history on a fake clock: samples every 10 s, five-minute rollups, each resolution deleted after its time.</summary>
public sealed class HistoryStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ContainerKey Web = new("local", "web0000000000000000000000000000000000000000000000000000000000000");
    private static readonly ContainerKey Db = new("local", "db00000000000000000000000000000000000000000000000000000000000000");

    private readonly string _folder = Directory.CreateTempSubdirectory("dockerdash-history-").FullName;
    private readonly HistoryOptions _options = new() { SampleSeconds = 10, RawHours = 24, RollupMinutes = 5, RollupDays = 14 };
    private IDbContextFactory<DashboardDbContext> _databases = null!;
    private HistoryStore _store = null!;

    public async Task InitializeAsync()
    {
        _databases = new SqliteDatabases(Path.Combine(_folder, "history.db"));
        await using var db = await _databases.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        _store = new HistoryStore(_databases, Options.Create(_options));
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>15 minutes of samples: web at 10, 30, then 50 % CPU for five minutes each; db at 5 % and 100 MB throughout.</summary>
    private async Task RecordFifteenMinutesAsync()
    {
        for (var at = Start; at < Start.AddMinutes(15); at = at.AddSeconds(10))
        {
            var webCpu = 10 + (20 * (int)((at - Start).TotalMinutes / 5));
            await _store.AddAsync(at, [Reading(Web, "web", webCpu, 200), Reading(Db, "db", 5, 100)], CancellationToken.None);
        }
    }

    private static ResourceReading Reading(ContainerKey key, string name, double cpu, long megabytes) =>
        new(key, name, "shop", new StatsSample(DateTimeOffset.MinValue, cpu, megabytes << 20, 1L << 30, 1000, 500, 0, 0, 1));

    [Fact]
    public async Task Raw_samples_roll_up_into_five_minute_averages_once_and_each_resolution_is_deleted_after_its_time()
    {
        await RecordFifteenMinutesAsync();
        var now = Start.AddMinutes(15);
        await _store.CompactAsync(now, CancellationToken.None);
        await _store.CompactAsync(now.AddSeconds(30), CancellationToken.None);

        var hour = await _store.PointsAsync("local", Web.Id, HistoryWindow.Hour, now, 240, CancellationToken.None);
        Assert.Equal(90, hour.Count);
        Assert.Equal(Start, hour[0].Time);
        Assert.Equal(50, hour[^1].CpuPercent);

        // A week is drawn from the rollups: one average per five minutes (2,016 in a week), each rolled up once however
        // often compaction ran.
        var week = await _store.PointsAsync("local", Web.Id, HistoryWindow.Week, now, 2016, CancellationToken.None);
        Assert.Equal([10.0, 30.0, 50.0], week.Select(p => p.CpuPercent));
        Assert.Equal([Start, Start.AddMinutes(5), Start.AddMinutes(10)], week.Select(p => p.Time));
        Assert.All(week, p => Assert.Equal(200L << 20, p.MemoryBytes));

        // The engine's own series is the sum of its containers.
        var engine = await _store.PointsAsync("local", "", HistoryWindow.Week, now, 2016, CancellationToken.None);
        Assert.Equal([15.0, 35.0, 55.0], engine.Select(p => p.CpuPercent));
        Assert.All(engine, p => Assert.Equal(300L << 20, p.MemoryBytes));
        Assert.All(engine, p => Assert.Equal(2000, p.NetRxBytesPerSec));

        // A day later the raw samples are gone and the rollups are not.
        var dayLater = now.AddHours(25);
        await _store.CompactAsync(dayLater, CancellationToken.None);
        Assert.Empty(await _store.PointsAsync("local", Web.Id, HistoryWindow.Day, dayLater, 240, CancellationToken.None));
        Assert.Equal(3, (await _store.PointsAsync("local", Web.Id, HistoryWindow.Week, dayLater, 2016, CancellationToken.None)).Count);
        Assert.Equal([30.0], (await _store.PointsAsync("local", Web.Id, HistoryWindow.Week, dayLater, 240, CancellationToken.None)).Select(p => p.CpuPercent));

        // After 14 days the rollups go too, and with them the series.
        var fortnightLater = now.AddDays(14).AddHours(1);
        await _store.CompactAsync(fortnightLater, CancellationToken.None);
        await using var db = await _databases.CreateDbContextAsync();
        Assert.Equal(0, await db.HistoryPoints.CountAsync());
        Assert.Equal(0, await db.HistorySeries.CountAsync());
    }

    [Fact]
    public async Task A_long_window_is_averaged_into_at_most_the_points_asked_for_and_the_ranking_orders_containers_by_their_average()
    {
        await RecordFifteenMinutesAsync();
        var now = Start.AddMinutes(15);

        // 90 samples drawn as at most 30 points: 30-second averages.
        var points = await _store.PointsAsync("local", Web.Id, HistoryWindow.Hour, now, 120, CancellationToken.None);
        Assert.Equal(30, points.Count);
        Assert.Equal(30, (points[1].Time - points[0].Time).TotalSeconds);

        var ranked = await _store.RankAsync(["local"], HistoryWindow.Hour, now, CancellationToken.None);
        Assert.Equal(["web", "db"], ranked.Select(r => r.Name));
        Assert.Equal(30, ranked[0].CpuPercent, 3);
        Assert.Equal(200L << 20, ranked[0].MemoryPeakBytes);
        Assert.Equal("shop", ranked[0].Project);

        // Engines the caller may not read are not ranked.
        Assert.Empty(await _store.RankAsync(["elsewhere"], HistoryWindow.Hour, now, CancellationToken.None));
    }
}
